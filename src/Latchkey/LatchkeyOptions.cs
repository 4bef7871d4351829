namespace Latchkey;

/// <summary>Engine settings other than token policy, bound from <c>Latchkey</c>.</summary>
public sealed class LatchkeyOptions
{
    public const string SectionName = "Latchkey";

    /// <summary>How long a sign-in session lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How many validated tokens the per-request cache holds at most.</summary>
    public int CacheSize { get; set; } = 100_000;

    /// <summary>
    /// How long a validated token is trusted without reading the store again. Changes reach the cache through the
    /// change feed at once; this bounds how long one the feed missed can keep a revoked token alive.
    /// </summary>
    public TimeSpan CacheMaxAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often last-used records are written to the store, in one batch.</summary>
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A token's last use is recorded at most this often (unless it comes from a new address).</summary>
    public TimeSpan UsageRecordInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many distinct last-used client addresses are kept per token.</summary>
    public int LastUsedIpCount { get; set; } = 5;

    /// <summary>Tokens expired or revoked longer ago than this are deleted by the maintenance job.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the maintenance job runs.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<string> Validate()
    {
        if (SessionLifetime <= TimeSpan.Zero)
        {
            yield return "Latchkey:SessionLifetime must be positive.";
        }

        if (CacheSize < 1)
        {
            yield return "Latchkey:CacheSize must be at least 1.";
        }

        if (CacheMaxAge <= TimeSpan.Zero || CacheMaxAge > TimeSpan.FromDays(1))
        {
            yield return "Latchkey:CacheMaxAge must be positive and at most a day (e.g. 00:00:30).";
        }

        if (UsageFlushInterval <= TimeSpan.Zero || UsageRecordInterval < TimeSpan.Zero)
        {
            yield return "Latchkey:UsageFlushInterval must be positive and UsageRecordInterval not negative.";
        }

        if (LastUsedIpCount is < 1 or > 100)
        {
            yield return "Latchkey:LastUsedIpCount must be between 1 and 100.";
        }

        if (Retention < TimeSpan.Zero || MaintenanceInterval <= TimeSpan.Zero)
        {
            yield return "Latchkey:Retention must not be negative and MaintenanceInterval must be positive.";
        }
    }
}

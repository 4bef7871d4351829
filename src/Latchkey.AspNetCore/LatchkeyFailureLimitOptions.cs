namespace Latchkey.AspNetCore;

/// <summary>
/// How many failed token authentications one client address may make, bound from
/// <c>Latchkey:FailedAuthentication</c>. Once over, a request whose token is not already validated and cached is
/// answered 429 without a store lookup; clients presenting valid tokens are never counted.
/// </summary>
public sealed class LatchkeyFailureLimitOptions
{
    public const string SectionName = "Latchkey:FailedAuthentication";

    /// <summary>Off only where something in front of Latchkey already limits failed authentications.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Failed authentications one client address may make per <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 20;

    /// <summary>The fixed window the failures are counted in; also the longest <c>Retry-After</c>.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Validate()
    {
        if (PermitLimit < 1)
        {
            yield return $"{SectionName}:PermitLimit must be at least 1 (set {SectionName}:Enabled to false to switch the limit off).";
        }

        if (Window <= TimeSpan.Zero || Window > TimeSpan.FromDays(1))
        {
            yield return $"{SectionName}:Window must be positive and at most one day.";
        }
    }
}

namespace Latchkey.Policy;

/// <summary>
/// Rules for issuing tokens, bound from <c>Latchkey:Tokens</c>. Named instances (one per API dialect) start from
/// the same section and switch on what that dialect needs, so every rule stays in the engine.
/// </summary>
public sealed class TokenPolicyOptions
{
    public const string SectionName = "Latchkey:Tokens";

    /// <summary>Lifetime of a token created without an expiry.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>When set, a token created without an expiry lives until the end of the current UTC day (GitLab's self-service API).</summary>
    public bool DefaultExpiresAtEndOfDay { get; set; }

    /// <summary>
    /// When set, a token created without an expiry never expires (Laravel Sanctum's default). Ignored when
    /// <see cref="AllowNeverExpiring"/> is off: the token then gets <see cref="DefaultLifetime"/>.
    /// </summary>
    public bool DefaultNeverExpires { get; set; }

    /// <summary>
    /// When set, a token rotated without an expiry lives this long (GitLab: one week); otherwise the new token keeps
    /// the lifetime the old one had.
    /// </summary>
    public TimeSpan? RotationLifetime { get; set; }

    /// <summary>
    /// How long after a token rotated itself a rotate request presenting it again is taken for a client retrying a
    /// rotation whose answer it lost (409, nothing revoked) rather than a reuse (the whole family revoked).
    /// </summary>
    public TimeSpan RotationRetryWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest <see cref="RotationRetryWindow"/> allowed: beyond it a stolen copy would pass for a retry too long.</summary>
    public static readonly TimeSpan MaxRotationRetryWindow = TimeSpan.FromHours(1);

    /// <summary>The longest lifetime a token may be given; <c>null</c> for no upper limit.</summary>
    public TimeSpan? MaximumLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Whether tokens that never expire may be created at all (always with explicit acknowledgement).</summary>
    public bool AllowNeverExpiring { get; set; } = true;

    /// <summary>Text in front of every new token, so people and secret scanners recognise it.</summary>
    public string Prefix { get; set; } = "lk_";

    /// <summary>Maximum number of active personal access tokens per user; 0 for no limit.</summary>
    public int MaxTokensPerUser { get; set; }

    /// <summary>Whether a user's active tokens must have distinct names.</summary>
    public bool UniqueNamesPerUser { get; set; }

    public int MaxNameLength { get; set; } = 255;

    public int MaxDescriptionLength { get; set; } = 1000;

    /// <summary>Scopes given when a request names none; empty means scopes are required.</summary>
    public IList<string> DefaultScopes { get; set; } = [];

    /// <summary>When not empty, the only scopes this policy lets a token be created with.</summary>
    public IList<string> AllowedScopes { get; set; } = [];

    /// <summary>Checks the options and returns what is wrong, for start-up validation.</summary>
    public IEnumerable<string> Validate(ScopeCatalog catalog)
    {
        if (DefaultLifetime <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:DefaultLifetime must be positive (got {DefaultLifetime}).";
        }

        if (MaximumLifetime is { } max && max <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:MaximumLifetime must be positive or empty for no limit (got {max}).";
        }

        if (MaximumLifetime is { } limit && DefaultLifetime > limit)
        {
            yield return $"{SectionName}:DefaultLifetime ({DefaultLifetime}) is longer than MaximumLifetime ({limit}).";
        }

        if (RotationLifetime is { } rotation && (rotation <= TimeSpan.Zero || MaximumLifetime is { } cap && rotation > cap))
        {
            yield return $"{SectionName}:RotationLifetime must be positive and no longer than MaximumLifetime (got {rotation}).";
        }

        if (RotationRetryWindow < TimeSpan.Zero || RotationRetryWindow > MaxRotationRetryWindow)
        {
            yield return $"{SectionName}:RotationRetryWindow must be between 00:00:00 and {MaxRotationRetryWindow} (got {RotationRetryWindow}).";
        }

        if (!Tokens.TokenFormat.IsValidPrefix(Prefix))
        {
            yield return $"{SectionName}:Prefix '{Prefix}' must be at most {Tokens.TokenFormat.MaxPrefixLength} letters, digits, '_', '-' or ':'.";
        }

        if (MaxTokensPerUser < 0)
        {
            yield return $"{SectionName}:MaxTokensPerUser must be 0 (no limit) or more (got {MaxTokensPerUser}).";
        }

        if (MaxNameLength is < 1 or > 255)
        {
            yield return $"{SectionName}:MaxNameLength must be between 1 and 255 (got {MaxNameLength}).";
        }

        foreach (var scope in DefaultScopes.Concat(AllowedScopes).Where(s => !catalog.Contains(s)))
        {
            yield return $"{SectionName}: scope '{scope}' is not in the scope catalog.";
        }
    }
}

namespace Latchkey.Policy;

/// <summary>What a request asked for as expiry: nothing (the policy's default), never, or an instant.</summary>
public readonly record struct TokenExpiry
{
    private TokenExpiry(TokenExpiryKind kind, DateTimeOffset? at, bool acknowledged)
    {
        Kind = kind;
        At = at;
        NeverAcknowledged = acknowledged;
    }

    public TokenExpiryKind Kind { get; }

    public DateTimeOffset? At { get; }

    /// <summary>Whether the caller explicitly acknowledged that a never-expiring token is what they want.</summary>
    public bool NeverAcknowledged { get; }

    public static TokenExpiry Default => new(TokenExpiryKind.Default, null, false);

    public static TokenExpiry Never(bool acknowledged) => new(TokenExpiryKind.Never, null, acknowledged);

    public static TokenExpiry On(DateTimeOffset at) => new(TokenExpiryKind.At, at.ToUniversalTime(), false);

    /// <summary>A calendar date: the token dies at 00:00 UTC that day, as GitLab's are.</summary>
    public static TokenExpiry OnDate(DateOnly date) => On(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
}

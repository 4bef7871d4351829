namespace Latchkey.Tokens;

/// <summary>
/// A stored token as the rest of the system sees it. It never carries the secret, and its hash is kept out of
/// anything that is serialised (see <see cref="StoredToken"/> for the record the store returns).
/// </summary>
public sealed record PersonalAccessToken
{
    public required long Id { get; init; }

    /// <summary>An opaque, random, 32-hex-character id for APIs that do not use integers (SailPoint, RFC 7662 <c>jti</c>).</summary>
    public required string PublicId { get; init; }

    public required long UserId { get; init; }

    public TokenKind Kind { get; init; } = TokenKind.Personal;

    public required string Name { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The instant the token stops working; <c>null</c> when it never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The most recent distinct client addresses, newest first.</summary>
    public IReadOnlyList<string> LastUsedIps { get; init; } = [];

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The first token of this rotation chain; a token that was never rotated is its own family.</summary>
    public required long FamilyId { get; init; }

    /// <summary>The token this one replaced by rotation.</summary>
    public long? PreviousId { get; init; }

    /// <summary>
    /// Set when this token was revoked by rotating it (at <see cref="RevokedAt"/>): presenting it to a rotate
    /// endpoint again is a reuse, unless it is the retry of a rotation it made itself (<see cref="RotatedItself"/>).
    /// </summary>
    public bool Rotated { get; init; }

    /// <summary>Set when the rotation that retired this token was requested with this token as the credential.</summary>
    public bool RotatedItself { get; init; }

    /// <summary>When this token was rotated away: a rotation revokes it, and nothing revokes a token twice.</summary>
    public DateTimeOffset? RotatedAt => Rotated ? RevokedAt : null;

    /// <summary>For derived access tokens: the PAT they were exchanged for.</summary>
    public long? ParentId { get; init; }

    /// <summary>Which API made the token (native, gitlab, unleash, sailpoint, sanctum): for display and audit.</summary>
    public string Origin { get; init; } = TokenOrigins.Native;

    /// <summary>Free-form attributes an API needs to echo back (e.g. SailPoint's access-token validity).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    public bool IsActiveAt(DateTimeOffset now) => !IsRevoked && !IsExpiredAt(now);
}

using Latchkey.Policy;
using Latchkey.Tokens;

namespace Latchkey;

/// <summary>The credential a request authenticated with, as the validator vouches for it. Immutable and cached.</summary>
public sealed record AuthenticatedToken
{
    public required long TokenId { get; init; }

    public required string PublicId { get; init; }

    public required TokenKind Kind { get; init; }

    public required string Name { get; init; }

    public required long UserId { get; init; }

    public required string Username { get; init; }

    public required bool IsAdmin { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Everything <see cref="Scopes"/> grants, implications followed.</summary>
    public required ScopeSet Granted { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public long? ParentId { get; init; }

    public required string Origin { get; init; }
}

using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>A token to insert. The store assigns <c>Id</c> and, for a new family, <c>FamilyId = Id</c>.</summary>
public sealed record NewToken
{
    public required string PublicId { get; init; }

    public required long UserId { get; init; }

    public TokenKind Kind { get; init; } = TokenKind.Personal;

    public required string Name { get; init; }

    public string? Description { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public required TokenHash Hash { get; init; }

    public required string KeyId { get; init; }

    public long? ParentId { get; init; }

    public string Origin { get; init; } = TokenOrigins.Native;

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}

using Latchkey.Policy;
using Latchkey.Tokens;

namespace Latchkey;

/// <summary>A request to issue a personal access token, already translated from whatever API it came through.</summary>
public sealed record CreateTokenRequest
{
    /// <summary>The owner; <c>null</c> for the acting user. Only administrators may name someone else.</summary>
    public long? UserId { get; init; }

    public required string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary><c>null</c> or empty takes the policy's default scopes.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    public TokenExpiry Expiry { get; init; } = TokenExpiry.Default;

    /// <summary>The API that issues the token; selects the policy of the same name and is recorded as the token's origin.</summary>
    public string Origin { get; init; } = TokenOrigins.Native;

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

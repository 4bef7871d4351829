using Latchkey.Policy;

namespace Latchkey;

/// <summary>
/// Changes to a token; <c>null</c> members are left as they are. They are judged by the policy the token was made
/// under (<see cref="Tokens.PersonalAccessToken.Origin"/>), whichever API asks.
/// </summary>
public sealed record UpdateTokenRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public bool DescriptionSet { get; init; }

    /// <summary>May only narrow the token's scopes.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    public TokenExpiry? Expiry { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

using System.Text.Json.Serialization;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// An RFC 7662 §2.2 introspection answer. For an inactive token every member but <see cref="Active"/> is <c>null</c>
/// and left out, so the answer is exactly <c>{"active":false}</c>.
/// </summary>
public sealed record IntrospectionResponse
{
    public static readonly IntrospectionResponse Inactive = new() { Active = false };

    [JsonPropertyName("active")]
    public required bool Active { get; init; }

    /// <summary>The token's scopes as it was given them, space-separated (<c>*</c> is full access).</summary>
    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    /// <summary>
    /// The public id of the personal access token the credential is, or — for an access token issued by
    /// <c>/oauth/token</c> — of the personal access token whose <c>client_id</c> requested it.
    /// </summary>
    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    [JsonPropertyName("username")]
    public string? Username { get; init; }

    /// <summary>Always <c>Bearer</c> for an active token.</summary>
    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }

    /// <summary>When the token expires, in seconds since the Unix epoch; absent for a token that never expires.</summary>
    [JsonPropertyName("exp")]
    public long? ExpiresAt { get; init; }

    /// <summary>When the token was created, in seconds since the Unix epoch.</summary>
    [JsonPropertyName("iat")]
    public long? IssuedAt { get; init; }

    /// <summary>The owner's user id, as a string.</summary>
    [JsonPropertyName("sub")]
    public string? Subject { get; init; }

    [JsonPropertyName("iss")]
    public string? Issuer { get; init; }

    /// <summary>The token's own public id (32 hex characters).</summary>
    [JsonPropertyName("jti")]
    public string? TokenIdentifier { get; init; }

    /// <summary>The token's id in Latchkey's native API (<c>/api/tokens/{id}</c>).</summary>
    [JsonPropertyName("token_id")]
    public long? TokenId { get; init; }
}

using System.Text.Json.Serialization;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// The answer of <c>POST /oauth/token</c> with SailPoint's members (RFC 6749 §5.1 plus the identity context
/// SailPoint adds). The access token is opaque, not a JWT.
/// </summary>
internal sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("internal")] bool Internal,
    [property: JsonPropertyName("strong_auth_supported")] bool StrongAuthSupported,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("identity_id")] string IdentityId,
    [property: JsonPropertyName("strong_auth")] bool StrongAuth,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("jti")] string Jti)
{
    // Keep the access token out of anything that prints a record.
    public override string ToString() => $"OAuthTokenResponse {{ Jti = {Jti} }}";
}

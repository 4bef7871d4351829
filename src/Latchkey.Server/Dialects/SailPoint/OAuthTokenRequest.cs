using System.Text.Json.Serialization;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// The form of <c>POST /oauth/token</c>, for the OpenAPI document. The same fields are read from the query string,
/// and the client id and secret from HTTP Basic (RFC 6749 client_secret_basic) when the form has neither.
/// </summary>
internal sealed class OAuthTokenRequest
{
    /// <summary><c>client_credentials</c> (any case).</summary>
    [JsonPropertyName("grant_type")]
    public required string GrantType { get; init; }

    /// <summary>The personal access token's id.</summary>
    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    /// <summary>The personal access token's secret.</summary>
    [JsonPropertyName("client_secret")]
    public string? ClientSecret { get; init; }
}

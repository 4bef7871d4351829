using System.Text.Json.Serialization;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>An RFC 6749 §5.2 error from the token endpoint. It never repeats what the client sent.</summary>
internal sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

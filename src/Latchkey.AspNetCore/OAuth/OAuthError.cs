using System.Text.Json.Serialization;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>An RFC 6749 §5.2 error body (<c>invalid_request</c>, …), also used for RFC 6750's bearer errors. It never repeats what the client sent.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

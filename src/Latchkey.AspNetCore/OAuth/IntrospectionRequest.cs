using System.Text.Json.Serialization;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>The RFC 7662 §2.1 form (for documentation: the endpoint reads the form itself). The hint is optional.</summary>
public sealed record IntrospectionRequest(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("token_type_hint")] string? TokenTypeHint = null);

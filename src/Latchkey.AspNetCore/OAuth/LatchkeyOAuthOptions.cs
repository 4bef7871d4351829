namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// The OAuth 2.0 endpoints for resource servers (RFC 7662 introspection, RFC 7009 revocation, RFC 8414 metadata),
/// bound from <c>Latchkey:OAuth</c> by <c>AddLatchkeyOAuth()</c> and checked at start-up.
/// </summary>
public sealed class LatchkeyOAuthOptions
{
    public const string SectionName = "Latchkey:OAuth";

    /// <summary>
    /// The issuer identifier the metadata names, and the base of the endpoint URLs it advertises: an absolute http(s)
    /// URL without query or fragment, e.g. <c>https://latchkey.example.com</c>. <c>null</c>: the request's scheme, host
    /// and path base, which the client chooses — set it (or restrict <c>AllowedHosts</c>) in production.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// The host's token endpoint to advertise (a path under the issuer such as <c>/oauth/token</c>, or an absolute
    /// URL); <c>null</c> when the host has none. Latchkey's own server has <c>/oauth/token</c> (client credentials).
    /// </summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>The grant types <see cref="TokenEndpoint"/> supports, e.g. <c>client_credentials</c>.</summary>
    public IList<string> GrantTypesSupported { get; } = [];

    /// <summary>How clients authenticate at <see cref="TokenEndpoint"/>, e.g. <c>client_secret_basic</c>, <c>client_secret_post</c>.</summary>
    public IList<string> TokenEndpointAuthMethodsSupported { get; } = [];

    /// <summary>A page for people about this server's OAuth endpoints (RFC 8414 <c>service_documentation</c>); optional.</summary>
    public string? ServiceDocumentation { get; set; }

    /// <summary>
    /// Revocation requests one client address may make per <see cref="RevocationWindow"/>: anyone may call the
    /// endpoint, and each call is a store lookup.
    /// </summary>
    public int RevocationPermitLimit { get; set; } = 30;

    /// <summary>The fixed window <see cref="RevocationPermitLimit"/> counts in; also the longest <c>Retry-After</c>.</summary>
    public TimeSpan RevocationWindow { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Validate()
    {
        if (Issuer is not null && !IsAbsoluteHttpUrl(Issuer))
        {
            yield return $"{SectionName}:Issuer '{Issuer}' must be an absolute http or https URL without query, fragment or user name (e.g. https://latchkey.example.com).";
        }

        if (TokenEndpoint is not null && !TokenEndpoint.StartsWith('/') && !IsAbsoluteHttpUrl(TokenEndpoint))
        {
            yield return $"{SectionName}:TokenEndpoint '{TokenEndpoint}' must be a path starting with '/' (e.g. /oauth/token) or an absolute http or https URL.";
        }

        if (ServiceDocumentation is not null && !IsAbsoluteHttpUrl(ServiceDocumentation))
        {
            yield return $"{SectionName}:ServiceDocumentation '{ServiceDocumentation}' must be an absolute http or https URL.";
        }

        if (RevocationPermitLimit < 1)
        {
            yield return $"{SectionName}:RevocationPermitLimit must be at least 1.";
        }

        if (RevocationWindow <= TimeSpan.Zero || RevocationWindow > TimeSpan.FromDays(1))
        {
            yield return $"{SectionName}:RevocationWindow must be positive and at most one day.";
        }
    }

    private static bool IsAbsoluteHttpUrl(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
}

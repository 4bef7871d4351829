using System.Net;

namespace Latchkey.Server.Hosting;

/// <summary>
/// Running behind a reverse proxy, bound from <c>Latchkey:Server</c>: which proxies' <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> to believe (none unless listed), and the public address links are built from.
/// </summary>
internal sealed class ReverseProxyOptions
{
    public const string SectionName = "Latchkey:Server";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>. A list, or one comma-separated value.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>
    /// The absolute http(s) URL clients reach the server at (with any path prefix the proxy adds), used for the
    /// links the server writes (<c>Link</c> headers, <c>web_url</c>) instead of the request's <c>Host</c> header.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary><see cref="PublicBaseUrl"/> parsed, when it is set and valid.</summary>
    public Uri? PublicBaseUri
        => Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i], out _))
            {
                yield return $"{SectionName}:KnownProxies:{i} '{KnownProxies[i]}' is not an IP address (e.g. 10.0.0.5 or fd00::5).";
            }
        }

        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(KnownNetworks[i], out _))
            {
                yield return $"{SectionName}:KnownNetworks:{i} '{KnownNetworks[i]}' is not a network in CIDR notation (e.g. 10.0.0.0/8 or fd00::/8).";
            }
        }

        if (!string.IsNullOrEmpty(PublicBaseUrl)
            && (PublicBaseUri is not { } uri || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo)))
        {
            yield return $"{SectionName}:PublicBaseUrl '{PublicBaseUrl}' must be an absolute http or https URL without query, fragment or user name (e.g. https://latchkey.example.com).";
        }
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>The issuer identifier and the absolute URLs of the endpoints under it, as the metadata advertises them.</summary>
internal static class OAuthIssuer
{
    /// <summary><see cref="LatchkeyOAuthOptions.Issuer"/>, else the request's <c>scheme://host/pathbase</c>; never with a trailing slash.</summary>
    public static string For(HttpRequest request, LatchkeyOAuthOptions options)
        => options.Issuer is { } configured
            ? configured.TrimEnd('/')
            : $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";

    /// <summary>The absolute URL of the endpoint named <paramref name="endpointName"/>, or <c>null</c> when the application did not map it.</summary>
    public static string? EndpointUrl(LinkGenerator links, string issuer, string endpointName)
        => links.GetPathByName(endpointName, values: null, pathBase: PathString.Empty) is { } path ? issuer + path : null;

    /// <summary><see cref="LatchkeyOAuthOptions.TokenEndpoint"/> made absolute (a path is under the issuer).</summary>
    public static string? TokenEndpoint(string issuer, LatchkeyOAuthOptions options)
        => options.TokenEndpoint is { } endpoint && endpoint.StartsWith('/') ? issuer + endpoint : options.TokenEndpoint;
}

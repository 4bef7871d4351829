using Latchkey.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// <c>GET /.well-known/oauth-authorization-server</c> (RFC 8414): the issuer and the endpoints this application
/// mapped, with what each really accepts. No <c>jwks_uri</c>: Latchkey's tokens are opaque, there are no signing keys.
/// </summary>
internal static class AuthorizationServerMetadataEndpoint
{
    // Bearer is the access token type of RFC 6750: RFC 8414 §2 allows those names for the introspection endpoint.
    private static readonly string[] IntrospectionAuthMethods = ["client_secret_basic", "Bearer"];
    private static readonly string[] RevocationAuthMethods = ["none"];

    public static IResult Handle(HttpContext context, LinkGenerator links, ScopeCatalog catalog, IOptions<LatchkeyOAuthOptions> options)
    {
        var settings = options.Value;
        var issuer = OAuthIssuer.For(context.Request, settings);
        var introspection = OAuthIssuer.EndpointUrl(links, issuer, LatchkeyOAuthEndpointRouteBuilderExtensions.IntrospectionEndpointName);
        var revocation = OAuthIssuer.EndpointUrl(links, issuer, LatchkeyOAuthEndpointRouteBuilderExtensions.RevocationEndpointName);
        var token = OAuthIssuer.TokenEndpoint(issuer, settings);
        return OAuthResults.Ok(new AuthorizationServerMetadata
        {
            Issuer = issuer,
            TokenEndpoint = token,
            IntrospectionEndpoint = introspection,
            RevocationEndpoint = revocation,
            ScopesSupported = [.. catalog.All.Select(scope => scope.Name)],
            ResponseTypesSupported = [],
            // Always present: RFC 8414 reads an omitted list as ["authorization_code", "implicit"], which Latchkey never offers.
            GrantTypesSupported = token is not null ? [.. settings.GrantTypesSupported] : [],
            TokenEndpointAuthMethodsSupported = token is not null && settings.TokenEndpointAuthMethodsSupported.Count > 0 ? [.. settings.TokenEndpointAuthMethodsSupported] : null,
            IntrospectionEndpointAuthMethodsSupported = introspection is null ? null : IntrospectionAuthMethods,
            RevocationEndpointAuthMethodsSupported = revocation is null ? null : RevocationAuthMethods,
            ServiceDocumentation = settings.ServiceDocumentation,
        });
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// Maps the OAuth 2.0 endpoints a resource server uses: RFC 7662 introspection, RFC 7009 revocation and RFC 8414
/// metadata. Register them first with <c>services.AddLatchkeyOAuth()</c>; the application needs <c>UseAuthentication()</c>
/// and <c>UseAuthorization()</c> like any Latchkey endpoint.
/// </summary>
public static class LatchkeyOAuthEndpointRouteBuilderExtensions
{
    public const string IntrospectionPath = "/oauth/introspect";
    public const string RevocationPath = "/oauth/revoke";
    public const string MetadataPath = "/.well-known/oauth-authorization-server";

    /// <summary>The endpoint names (and OpenAPI operation ids); the metadata finds the endpoints' URLs by them.</summary>
    public const string IntrospectionEndpointName = "OAuthIntrospect";
    public const string RevocationEndpointName = "OAuthRevoke";
    public const string MetadataEndpointName = "OAuthAuthorizationServerMetadata";

    /// <summary>
    /// What both POST endpoints read. Not declared as accepted content (<c>Accepts</c>): the framework would then answer
    /// another content type 415 with no body, where OAuth clients expect 400 <c>invalid_request</c>.
    /// </summary>
    public const string FormContentType = "application/x-www-form-urlencoded";
    private const string Tag = "OAuth";

    /// <summary>All three: introspection, revocation and the metadata that advertises them.</summary>
    public static RouteGroupBuilder MapLatchkeyOAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(string.Empty);
        group.MapLatchkeyIntrospection();
        group.MapLatchkeyRevocation();
        group.MapLatchkeyAuthorizationServerMetadata();
        return group;
    }

    /// <summary>
    /// <c>POST /oauth/introspect</c> (RFC 7662), form <c>token</c> (and an optional <c>token_type_hint</c>, ignored).
    /// The caller needs a Latchkey credential with the <c>introspect</c> scope, or an administrator's with
    /// <c>admin_mode</c>. Unknown, malformed, expired and revoked tokens all answer <c>{"active":false}</c>; checking a
    /// token is not a use of it.
    /// </summary>
    public static RouteHandlerBuilder MapLatchkeyIntrospection(this IEndpointRouteBuilder routes)
    {
        EnsureRegistered(routes);
        return routes.MapPost(IntrospectionPath, IntrospectionEndpoint.HandleAsync)
            .RequireLatchkey()
            .WithLatchkeyErrors(OAuthErrorWriter.Instance)
            .DisableAntiforgery()
            .WithTags(Tag)
            .WithName(IntrospectionEndpointName)
            .WithSummary("RFC 7662 token introspection: is a token active, whose is it, what may it do (needs the `introspect` scope, or an administrator with `admin_mode`).")
            .Produces<IntrospectionResponse>()
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status401Unauthorized)
            .Produces<OAuthError>(StatusCodes.Status403Forbidden)
            .Produces<OAuthError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OAuthError>(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>
    /// <c>POST /oauth/revoke</c> (RFC 7009), form <c>token</c> (and an optional <c>token_type_hint</c>): revokes the
    /// token for whoever presents its value. No client authentication (an HTTP Basic header is ignored); every
    /// well-formed request answers 200 with an empty body. Limited per client address (<c>Latchkey:OAuth:RevocationPermitLimit</c>).
    /// </summary>
    public static RouteHandlerBuilder MapLatchkeyRevocation(this IEndpointRouteBuilder routes)
    {
        EnsureRegistered(routes);
        return routes.MapPost(RevocationPath, RevocationEndpoint.HandleAsync)
            .AllowAnonymous()
            // An OAuth client sends its client_id and secret as HTTP Basic: not a credential to validate (or count as a
            // failure) here, where nobody needs to authenticate.
            .ReadsClientCredentials()
            // Nobody is challenged here; the writer shapes the 503 while the store cannot be reached.
            .WithLatchkeyErrors(OAuthErrorWriter.Instance)
            .DisableAntiforgery()
            .WithTags(Tag)
            .WithName(RevocationEndpointName)
            .WithSummary("RFC 7009 token revocation: revokes the token whose value is sent, for anyone; always 200 so existence is never revealed.")
            .Produces(StatusCodes.Status200OK)
            .Produces<OAuthError>(StatusCodes.Status400BadRequest)
            .Produces<OAuthError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OAuthError>(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>
    /// <c>GET /.well-known/oauth-authorization-server</c> (RFC 8414): the issuer, the token, introspection and revocation
    /// endpoints the application mapped, their authentication methods and the scope catalog.
    /// </summary>
    public static RouteHandlerBuilder MapLatchkeyAuthorizationServerMetadata(this IEndpointRouteBuilder routes)
    {
        EnsureRegistered(routes);
        return routes.MapGet(MetadataPath, AuthorizationServerMetadataEndpoint.Handle)
            .AllowAnonymous()
            .WithTags(Tag)
            .WithName(MetadataEndpointName)
            .WithSummary("RFC 8414 authorization server metadata: issuer, endpoints, grant types, authentication methods and scopes.")
            .Produces<AuthorizationServerMetadata>();
    }

    // IOptions<T> resolves for any T once anything has called AddOptions, so only AddLatchkeyOAuth's own service tells.
    private static void EnsureRegistered(IEndpointRouteBuilder routes)
    {
        if (routes.ServiceProvider.GetService<RevocationLimiter>() is null)
        {
            throw new InvalidOperationException("The Latchkey OAuth endpoints need services.AddLatchkeyOAuth() (and AddLatchkey()) first.");
        }
    }
}

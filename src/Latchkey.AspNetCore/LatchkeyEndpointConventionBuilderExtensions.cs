using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.AspNetCore;

/// <summary>Declares on endpoints and route groups what Latchkey must check and how its errors look.</summary>
public static class LatchkeyEndpointConventionBuilderExtensions
{
    /// <summary>Requires a Latchkey credential granting <paramref name="scope"/>; a 403 names the scope.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireLatchkeyPolicy(scheme => LatchkeyPolicies.Scope(scope, scheme));

    /// <summary>Requires any valid Latchkey credential.</summary>
    public static TBuilder RequireLatchkey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireLatchkeyPolicy(scheme => LatchkeyPolicies.Authenticated(scheme));

    /// <summary>Requires a credential whose owner is an administrator.</summary>
    public static TBuilder RequireAdministrator<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireLatchkeyPolicy(scheme => LatchkeyPolicies.Administrator(scheme));

    /// <summary>
    /// Makes this a rotate endpoint for reuse detection: a rotated-away secret presented here revokes its whole family
    /// (401), unless it rotated itself within <c>Latchkey:Tokens:RotationRetryWindow</c> (409, nothing revoked).
    /// Put it only on endpoints that rotate tokens: a stale secret sent anywhere else must not cost the fresh one.
    /// </summary>
    public static TBuilder DetectsTokenReuse<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(TokenReuseDetectionMetadata.Instance);

    /// <summary>Makes this an OAuth token endpoint that judges HTTP Basic (its client's credentials) itself; the scheme leaves Basic alone here.</summary>
    public static TBuilder ReadsClientCredentials<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(ClientCredentialsEndpointMetadata.Instance);

    /// <summary>Writes Latchkey's 401 and 403 bodies in this API's shape.</summary>
    public static TBuilder WithLatchkeyErrors<TBuilder>(this TBuilder builder, ILatchkeyErrorWriter writer)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(writer);

    // RequireAuthorization(policy) without a fixed scheme: the policy is built when the endpoint is, over the scheme
    // the application registered Latchkey under.
    private static TBuilder RequireLatchkeyPolicy<TBuilder>(this TBuilder builder, Func<string, AuthorizationPolicy> policy)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var scheme = endpoint.ApplicationServices.GetService<LatchkeyScheme>()?.Name ?? LatchkeyDefaults.AuthenticationScheme;
            if (!endpoint.Metadata.Any(item => item is IAuthorizeData))
            {
                endpoint.Metadata.Add(new AuthorizeAttribute());
            }

            endpoint.Metadata.Add(policy(scheme));
        });
        return builder;
    }
}

using Latchkey.AspNetCore;
using Latchkey.Policy;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// The SailPoint Identity Security Cloud dialect: its personal access token API under <c>/v3</c>, <c>/beta</c>
/// and <c>/v2024</c> (the same resource on each) and the client-credentials sign-in at <c>/oauth/token</c>.
/// </summary>
internal static class SailPointDialect
{
    /// <summary>The token policy the dialect's requests are judged by, and the origin of the tokens it makes.</summary>
    public const string PolicyName = "sailpoint";

    private static readonly (string Path, string Label)[] Versions = [("v3", "V3"), ("beta", "Beta"), ("v2024", "V2024")];

    /// <summary>Registers SailPoint's scopes in the catalog and its token policy.</summary>
    public static IServiceCollection AddSailPointDialect(this IServiceCollection services)
    {
        services.Configure<ScopeCatalogOptions>(catalog =>
        {
            foreach (var scope in SailPointScopes.Definitions.Where(d => catalog.Scopes.All(s => s.Name != d.Name)))
            {
                catalog.Scopes.Add(scope);
            }
        });

        // Names unique per owner; no scope means sp:scopes:all; expiry is always explicit (a date, or "never"
        // with userAwareTokenNeverExpires as the acknowledgement) and has no upper limit.
        services.AddLatchkeyTokenPolicy(PolicyName, options =>
        {
            options.UniqueNamesPerUser = true;
            options.DefaultScopes = [ScopeCatalog.FullAccess];
            options.AllowedScopes = SailPointScopes.AllowedEngineScopes.ToList();
            options.MaximumLifetime = null;
            options.AllowNeverExpiring = true;
            options.DefaultNeverExpires = false;
        });
        return services;
    }

    /// <summary>Maps the dialect's endpoints.</summary>
    public static IEndpointRouteBuilder MapSailPointDialect(this IEndpointRouteBuilder routes)
    {
        foreach (var (path, label) in Versions)
        {
            routes.MapPersonalAccessTokens(path, label);
        }

        routes.MapOAuthToken();
        return routes;
    }
}

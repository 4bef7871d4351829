using Latchkey.AspNetCore;
using Latchkey.Policy;

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>The Unleash dialect: a translator between its wire format and the engine's operations.</summary>
internal static class UnleashDialect
{
    /// <summary>The dialect's token policy, and the origin recorded on the tokens it issues.</summary>
    public const string Name = "unleash";

    /// <summary>
    /// Registers the <c>unleash</c> token policy: Unleash's rules, overridable under
    /// <c>Latchkey:Dialects:unleash:Tokens</c>.
    /// </summary>
    public static IServiceCollection AddUnleashDialect(this IServiceCollection services)
        => services.AddLatchkeyTokenPolicy(Name, tokens =>
        {
            // Unleash's secrets start with "user:", so people, scanners and Unleash's own tooling recognise them.
            tokens.Prefix = "user:";

            // Unleash's default resource limit, and its refusal of a second PAT with the same description.
            tokens.MaxTokensPerUser = 10;
            tokens.UniqueNamesPerUser = true;

            // An Unleash PAT acts with all of its user's rights; its requests carry no scopes.
            tokens.DefaultScopes = [ScopeCatalog.FullAccess];

            // Unleash only asks that the expiry lie in the future; it has no upper limit.
            tokens.MaximumLifetime = null;
        });

    /// <summary>Maps the dialect's endpoints.</summary>
    public static IEndpointRouteBuilder MapUnleashDialect(this IEndpointRouteBuilder routes)
    {
        routes.MapUnleashPatApi();
        return routes;
    }
}

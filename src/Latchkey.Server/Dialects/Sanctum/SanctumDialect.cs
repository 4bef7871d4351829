using Latchkey.AspNetCore;
using Latchkey.Policy;
using Latchkey.Server.Hosting.OpenApi;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>
/// The Talkover account API, Laravel Sanctum style: <c>/api/v1/user/api-tokens</c>. Tokens are handed out as
/// Sanctum's <c>{id}|{secret}</c>, abilities are the engine's scopes, and errors have Laravel's JSON shapes.
/// </summary>
internal static class SanctumDialect
{
    /// <summary>The token policy this dialect issues under, and the origin recorded on its tokens.</summary>
    public const string PolicyName = "sanctum";

    /// <summary>Registers the dialect's token policy: Sanctum's defaults, overridable under <c>Latchkey:Dialects:sanctum:Tokens</c>.</summary>
    public static IServiceCollection AddSanctumDialect(this IServiceCollection services)
        => services.AddLatchkeyTokenPolicy(PolicyName, options =>
        {
            // createToken($name, $abilities = ['*']): a token without abilities may do everything its owner may.
            options.DefaultScopes = [ScopeCatalog.FullAccess];

            // Sanctum's 'expiration' config is null out of the box: tokens live until they are deleted.
            options.DefaultNeverExpires = true;

            // The seed's "Max 255 characters" (and Sanctum's string column).
            options.MaxNameLength = 255;
        });

    /// <summary>Maps the dialect's endpoints.</summary>
    public static IEndpointRouteBuilder MapSanctumDialect(this IEndpointRouteBuilder routes)
    {
        // The account API is "authenticated with a user session token": a session holds '*' as Sanctum's
        // TransientToken does, and a personal token must hold '*' too (CheckAbilities:*), or it answers 403.
        var group = routes.MapGroup("/api/v1/user/api-tokens")
            .WithTags("Talkover")
            .RequireScope(ScopeCatalog.FullAccess)
            .WithLatchkeyErrors(SanctumErrorWriter.Instance)
            .AnswersLaravelErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        group.MapApiTokenEndpoints();
        return routes;
    }
}

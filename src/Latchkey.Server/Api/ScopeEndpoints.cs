using Latchkey.AspNetCore;
using Latchkey.Policy;
using Latchkey.Server.Hosting.OpenApi;

namespace Latchkey.Server.Api;

/// <summary><c>GET /api/scopes</c>: the scope catalog, so clients and people can see what each scope means.</summary>
internal static class ScopeEndpoints
{
    public static RouteHandlerBuilder MapScopeApi(this IEndpointRouteBuilder routes)
        => routes.MapGet("/api/scopes", ListScopes).RequireLatchkey().WithTags("Tokens").WithName("ListScopes")
            .WithSummary("The scopes tokens can have, what each means and implies, and which are for administrators only.")
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<IEnumerable<ScopeResponse>> ListScopes(ScopeCatalog catalog)
        => TypedResults.Ok(catalog.All.Select(s => new ScopeResponse(s.Name, s.Description, s.Implies ?? [], s.AdminOnly)));
}

using Latchkey.AspNetCore;
using Latchkey.Policy;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Stores;
using Latchkey.Users;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// The parts of GitLab's users API that token clients use: who am I (<c>/user</c>, <c>/users/:id</c>) and the two
/// ways to create a personal access token — for yourself with limited scopes (seed 000), or for anyone as an
/// administrator.
/// </summary>
internal static class GitLabUserEndpoints
{
    public static RouteGroupBuilder MapGitLabUsers(this RouteGroupBuilder api)
    {
        api.MapGet("/user", GetCurrentUserAsync).RequireScope(GitLabScopes.ReadUser).WithName("GitLabGetCurrentUser")
            .Produces<GitLabUserResponse>().AnswersGitLabErrors(StatusCodes.Status404NotFound);
        api.MapGet("/users/{id:long}", GetUserAsync).RequireScope(GitLabScopes.ReadUser).WithName("GitLabGetUser")
            .Produces<GitLabUserResponse>().AnswersGitLabErrors(StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.UserId with { Name = "id" });

        // Creating needs api even though the new token can only get k8s_proxy or self_rotate: GitLab's rule.
        api.MapPost("/user/personal_access_tokens", CreateOwnTokenAsync).RequireScope(GitLabScopes.Api).WithName("GitLabCreateOwnPersonalAccessToken")
            .WithSummary("Create a personal access token with limited scopes for the current user; it expires at the end of the day by default.")
            .DocumentsBody<GitLabCreateTokenParameters>("application/json", "application/x-www-form-urlencoded", "multipart/form-data").Produces<GitLabSelfIssuedTokenResponse>(StatusCodes.Status201Created)
            .AnswersGitLabErrors(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/users/{user_id:long}/personal_access_tokens", CreateTokenForUserAsync)
            .RequireAuthorization(LatchkeyPolicies.AdministratorWithScope(GitLabScopes.Api))
            .WithName("GitLabCreatePersonalAccessToken")
            .WithSummary("Create a personal access token for a user (administrators only).")
            .DocumentsBody<GitLabCreateTokenParameters>("application/json", "application/x-www-form-urlencoded", "multipart/form-data").Produces<GitLabIssuedTokenResponse>(StatusCodes.Status201Created).WithParameters(DocumentedParameters.UserId)
            .AnswersGitLabErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    private static async Task<IResult> GetCurrentUserAsync(HttpContext context, IUserStore users)
    {
        var user = await users.FindAsync(context.GetLatchkeyToken()!.UserId, context.RequestAborted);
        return user is null
            ? GitLabResults.NotFound(GitLabResults.UserResource)
            : TypedResults.Ok(GitLabUserResponse.From(user, context.Request, showEmail: true, showAdmin: user.IsAdmin));
    }

    private static async Task<IResult> GetUserAsync(long id, HttpContext context, UserManager users)
    {
        // GitLab shows any user's public profile; Latchkey keeps its user list to administrators, so anyone else
        // is told what a user that does not exist would be told (UserManager's rule).
        var actor = context.GetTokenActor();
        var user = await users.GetAsync(actor, id, context.RequestAborted);
        return user.Succeeded
            ? TypedResults.Ok(GitLabUserResponse.From(user.Value, context.Request, showEmail: actor.IsAdmin, showAdmin: actor.IsAdmin))
            : GitLabResults.NotFound(GitLabResults.UserResource);
    }

    private static Task<IResult> CreateOwnTokenAsync(HttpContext context, TokenManager manager, TimeProvider time)
        => CreateAsync(context, manager, time, userId: null, GitLabPolicies.Self);

    private static Task<IResult> CreateTokenForUserAsync([Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] long userId, HttpContext context, TokenManager manager, TimeProvider time)
        => CreateAsync(context, manager, time, userId, GitLabPolicies.Admin);

    private static async Task<IResult> CreateAsync(HttpContext context, TokenManager manager, TimeProvider time, long? userId, string policy)
    {
        var (parameters, readError) = await GitLabParameters.ReadAsync(context.Request);
        if (readError is not null)
        {
            return readError;
        }

        var name = parameters!.RequiredString("name");
        var scopes = parameters.RequiredList("scopes");
        var description = parameters.OptionalString("description");
        var expiresAt = parameters.OptionalDate("expires_at");
        if (parameters.Errors.Count > 0)
        {
            return GitLabResults.InvalidParameters(parameters.Errors);
        }

        var request = new CreateTokenRequest
        {
            UserId = userId,
            Name = name,
            Description = description,
            Scopes = scopes,
            Expiry = expiresAt is { } date ? TokenExpiry.OnDate(date) : TokenExpiry.Default,
            Origin = policy,
        };
        var result = await manager.CreateAsync(context.GetTokenActor(), request, context.RequestAborted);
        if (!result.Succeeded)
        {
            return GitLabResults.Refused(result.Error, GitLabResults.TokenResource);
        }

        var now = time.GetUtcNow();
        context.Response.SetNoStore();
        return userId is null
            ? TypedResults.Json(GitLabSelfIssuedTokenResponse.From(result.Value, now), statusCode: StatusCodes.Status201Created)
            : TypedResults.Json(GitLabIssuedTokenResponse.From(result.Value, now), statusCode: StatusCodes.Status201Created);
    }
}

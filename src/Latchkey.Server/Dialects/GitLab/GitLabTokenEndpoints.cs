using System.Globalization;
using Latchkey.AspNetCore;
using Latchkey.Policy;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Stores;
using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// GitLab's personal access tokens API under <c>/api/v4/personal_access_tokens</c> (list, show, rotate, revoke and
/// their <c>self</c> forms), translated onto <see cref="TokenManager"/>.
/// </summary>
internal static class GitLabTokenEndpoints
{
    private const string SelfTokenTypeMessage = "This endpoint requires token type to be a personal access token";

    public static RouteGroupBuilder MapGitLabTokens(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/personal_access_tokens");

        // GitLab: reads accept api or read_api, writes need api; a token may always see and revoke itself, and
        // rotate itself with api or self_rotate.
        tokens.MapGet("/", ListAsync).RequireScope(GitLabScopes.ReadApi).WithName("GitLabListPersonalAccessTokens")
            .WithSummary("List personal access tokens with GitLab's filters and pagination.")
            .Produces<IEnumerable<GitLabTokenResponse>>().AnswersGitLabErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithParameters(DocumentedParameters.GitLabTokenList);
        tokens.MapGet("/self", GetSelfAsync).RequireLatchkey().WithName("GitLabGetCurrentPersonalAccessToken")
            .Produces<GitLabTokenResponse>().AnswersGitLabErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        tokens.MapGet("/{id:long}", GetAsync).RequireScope(GitLabScopes.ReadApi).WithName("GitLabGetPersonalAccessToken")
            .Produces<GitLabTokenResponse>().AnswersGitLabErrors(StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.TokenId);
        // Reuse detection as GitLab keeps it since gitlab-org/gitlab#418769: only on the rotate endpoints.
        tokens.MapPost("/self/rotate", RotateSelfAsync).RequireScope(GitLabScopes.SelfRotate).DetectsTokenReuse().WithName("GitLabRotateCurrentPersonalAccessToken")
            .DocumentsBody<GitLabRotateParameters>(isOptional: true, "application/json", "application/x-www-form-urlencoded", "multipart/form-data").Produces<GitLabIssuedTokenResponse>()
            .AnswersGitLabErrors(StatusCodes.Status400BadRequest, StatusCodes.Status405MethodNotAllowed, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        tokens.MapPost("/{id:long}/rotate", RotateAsync).RequireScope(GitLabScopes.Api).DetectsTokenReuse().WithName("GitLabRotatePersonalAccessToken")
            .WithSummary("Revoke a token and issue its replacement; without expires_at it lives a week.")
            .DocumentsBody<GitLabRotateParameters>(isOptional: true, "application/json", "application/x-www-form-urlencoded", "multipart/form-data").Produces<GitLabIssuedTokenResponse>().WithParameters(DocumentedParameters.TokenId)
            .AnswersGitLabErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        tokens.MapDelete("/self", RevokeSelfAsync).RequireLatchkey().WithName("GitLabRevokeCurrentPersonalAccessToken")
            .Produces(StatusCodes.Status204NoContent).AnswersGitLabErrors(StatusCodes.Status400BadRequest);
        tokens.MapDelete("/{id:long}", RevokeAsync).RequireScope(GitLabScopes.Api).WithName("GitLabRevokePersonalAccessToken")
            .Produces(StatusCodes.Status204NoContent).AnswersGitLabErrors(StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.TokenId);
        return tokens;
    }

    private static async Task<IResult> ListAsync(HttpContext context, TokenManager manager, IUserStore users, TimeProvider time)
    {
        // Without a sort GitLab pages in id order; a sort it does not know is ignored, not refused.
        if (!TokenQueryReader.TryRead(context.Request, TokenSort.IdAsc, out var query, out var error, ignoreUnknownSort: true))
        {
            var field = error!.Value.Field;
            return GitLabResults.InvalidParameters([field == "state" ? "state does not have a valid value" : $"{field} is invalid"]);
        }

        // GitLab's last_used_before compares last_used_at, so tokens never used do not match it.
        if (query.LastUsedBefore is not null)
        {
            query = query with { NeverUsed = false };
        }

        var actor = context.GetTokenActor();
        long? owner = actor.IsAdmin ? null : actor.UserId;
        if (context.Request.Query.TryGetValue("user_id", out var userText))
        {
            var text = userText.ToString();
            long requested = 0;
            if (text.Length > 0 && !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out requested))
            {
                return GitLabResults.InvalidParameters(["user_id is invalid"]);
            }

            if (actor.IsAdmin)
            {
                // GitLab: an administrator naming a user that does not exist (or naming none) gets a 404.
                if (text.Length == 0 || await users.FindAsync(requested, context.RequestAborted) is null)
                {
                    return GitLabResults.NotFound();
                }

                owner = requested;
            }
            else if (text.Length > 0 && requested != actor.UserId)
            {
                // Someone else's tokens answer exactly as a user that does not exist would.
                return GitLabResults.NotFound();
            }
        }

        var page = await manager.ListAsync(actor, query with { UserId = owner }, context.RequestAborted);
        Pagination.WriteHeaders(context, page);
        var now = time.GetUtcNow();
        return TypedResults.Ok(page.Items.Select(t => GitLabTokenResponse.From(t, now)));
    }

    private static async Task<IResult> GetAsync(long id, HttpContext context, TokenManager manager, TimeProvider time)
    {
        var result = await manager.GetAsync(CurrentUser(context), id, context.RequestAborted);
        return result.Succeeded
            ? TypedResults.Ok(GitLabTokenResponse.From(result.Value, time.GetUtcNow()))
            : GitLabResults.NotFound(GitLabResults.TokenResource);
    }

    private static async Task<IResult> GetSelfAsync(HttpContext context, TokenManager manager, TimeProvider time)
    {
        var token = context.GetLatchkeyToken()!;
        if (token.Kind != TokenKind.Personal)
        {
            return GitLabResults.BadRequest(SelfTokenTypeMessage);
        }

        var result = await manager.GetCurrentAsync(token, context.RequestAborted);
        return result.Succeeded
            ? TypedResults.Ok(GitLabTokenResponse.From(result.Value, time.GetUtcNow()))
            : GitLabResults.NotFound(GitLabResults.TokenResource);
    }

    private static async Task<IResult> RotateAsync(long id, HttpContext context, TokenManager manager, TimeProvider time)
    {
        var (parameters, readError) = await GitLabParameters.ReadAsync(context.Request);
        if (readError is not null)
        {
            return readError;
        }

        var expiresAt = parameters!.OptionalDate("expires_at");
        if (parameters.Errors.Count > 0)
        {
            return GitLabResults.InvalidParameters(parameters.Errors);
        }

        var result = await manager.RotateAsync(CurrentUser(context), id, expiresAt is { } date ? TokenExpiry.OnDate(date) : null, context.RequestAborted);
        if (!result.Succeeded)
        {
            return result.Error.Reason == TokenErrorReason.Expired
                ? GitLabResults.BadRequest("token expired")
                : GitLabResults.Refused(result.Error, GitLabResults.TokenResource, viaBadRequest: true);
        }

        context.Response.SetNoStore();
        return TypedResults.Ok(GitLabIssuedTokenResponse.From(result.Value, time.GetUtcNow()));
    }

    private static Task<IResult> RotateSelfAsync(HttpContext context, TokenManager manager, TimeProvider time)
    {
        var token = context.GetLatchkeyToken()!;
        return token.Kind == TokenKind.Personal
            ? RotateAsync(token.TokenId, context, manager, time)
            : Task.FromResult(GitLabResults.MethodNotAllowed());
    }

    private static async Task<IResult> RevokeAsync(long id, HttpContext context, TokenManager manager)
    {
        // Revoking a token that is already revoked succeeds, as GitLab's RevokeService does.
        var result = await manager.RevokeAsync(CurrentUser(context), id, context.RequestAborted);
        return result.Succeeded ? TypedResults.NoContent() : GitLabResults.Refused(result.Error, GitLabResults.TokenResource);
    }

    private static Task<IResult> RevokeSelfAsync(HttpContext context, TokenManager manager)
    {
        var token = context.GetLatchkeyToken()!;
        return token.Kind == TokenKind.Personal
            ? RevokeAsync(token.TokenId, context, manager)
            : Task.FromResult(GitLabResults.BadRequest(SelfTokenTypeMessage));
    }

    // Sessions and exchanged access tokens are not personal access tokens to GitLab clients; revoked ones are.
    private static TokenActor CurrentUser(HttpContext context) => context.GetTokenActor().Seeing(TokenView.Personal);
}

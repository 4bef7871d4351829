using System.Globalization;
using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>
/// <c>POST</c>, <c>GET</c> and <c>DELETE /api/v1/user/api-tokens</c>: Sanctum's <c>createToken</c>, <c>tokens</c>
/// and <c>tokens()-&gt;delete()</c> over the engine's create, list and revoke.
/// </summary>
internal static class ApiTokenEndpoints
{
    public static RouteGroupBuilder MapApiTokenEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/", CreateApiTokenAsync)
            .WithName("SanctumCreateApiToken")
            .WithSummary("Create a personal access token; the plain-text '<id>|<token>' is in this response only.")
            .DocumentsBody<CreateApiTokenRequest>("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
            .Produces<SanctumData<NewApiTokenResponse>>(StatusCodes.Status201Created)
            .Produces<LaravelValidationProblem>(StatusCodes.Status422UnprocessableEntity)
            .Produces<LaravelMessage>(StatusCodes.Status413PayloadTooLarge)
            .Produces<LaravelMessage>(StatusCodes.Status409Conflict);
        group.MapGet("/", ListApiTokensAsync)
            .WithName("SanctumListApiTokens")
            .WithSummary("The current user's active personal access tokens.")
            .Produces<SanctumData<IReadOnlyList<ApiTokenResponse>>>();
        group.MapDelete("/{id}", RevokeApiTokenAsync)
            .WithName("SanctumRevokeApiToken")
            .WithSummary("Revoke one of the current user's tokens.")
            .Produces<LaravelMessage>()
            .Produces<LaravelMessage>(StatusCodes.Status404NotFound)
            .WithParameters(DocumentedParameters.NumericTokenId);
        return group;
    }

    private static async Task<IResult> CreateApiTokenAsync(HttpContext context, TokenManager manager)
    {
        var (body, unreceived) = await LaravelInput.ReadAsync(context.Request);
        if (unreceived is not null)
        {
            // Laravel's ValidatePostSize answer, or the bad request a Laravel application answers for a body its
            // server could not receive, rather than the host's problem details.
            return unreceived.Kind == BodyErrorKind.TooLarge
                ? Message(StatusCodes.Status413PayloadTooLarge, LaravelMessages.PostTooLarge)
                : Message(StatusCodes.Status400BadRequest, LaravelMessages.BadRequest);
        }

        var actor = context.GetTokenActor();
        var input = CreateApiTokenInput.Read(body);
        var request = new CreateTokenRequest { Name = input.Name, Scopes = input.Abilities, Origin = SanctumDialect.PolicyName };
        var errors = input.Errors(await manager.ValidateCreateAsync(actor, request, context.RequestAborted));
        if (errors.Any)
        {
            return Unprocessable(errors);
        }

        var result = await manager.CreateAsync(actor, request, context.RequestAborted);
        if (!result.Succeeded)
        {
            return From(result.Error);
        }

        context.Response.SetNoStore();
        return TypedResults.Json(new SanctumData<NewApiTokenResponse>(NewApiTokenResponse.From(result.Value)), SanctumJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListApiTokensAsync(HttpContext context, TokenManager manager)
    {
        // Sanctum deletes a revoked token, and an expired one can never be used again: neither is listed.
        var tokens = await manager.ListAllAsync(CurrentUser(context), new TokenQuery { Active = true, Sort = TokenSort.IdAsc }, context.RequestAborted)
            .Select(ApiTokenResponse.From).ToListAsync(context.RequestAborted);
        return TypedResults.Json(new SanctumData<IReadOnlyList<ApiTokenResponse>>(tokens), SanctumJson.Options);
    }

    private static async Task<IResult> RevokeApiTokenAsync(string id, HttpContext context, TokenManager manager)
    {
        // Laravel's findOrFail: an id that is not a number, unknown, someone else's, a session or already revoked
        // (Sanctum deleted its row) all answer the same 404, so ids cannot be probed.
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var tokenId))
        {
            return NotFound();
        }

        var revoked = await manager.RevokeAsync(CurrentUser(context), tokenId, context.RequestAborted);
        return revoked.Succeeded ? Message(StatusCodes.Status200OK, LaravelMessages.TokenRevoked) : From(revoked.Error);
    }

    // The account API manages the caller's own tokens: an administrator's reach over other users' tokens does
    // not apply here, so their ids are 404 for administrators too. Sanctum deletes what it revokes: a revoked
    // token (and a session) is not there at all.
    private static TokenActor CurrentUser(HttpContext context) => context.GetTokenActor().OwnTokensOnly().Seeing(TokenView.PersonalUnrevoked);

    private static JsonHttpResult<LaravelValidationProblem> Unprocessable(LaravelValidationErrors errors)
        => TypedResults.Json(errors.ToProblem(), SanctumJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity);

    private static JsonHttpResult<LaravelMessage> NotFound() => Message(StatusCodes.Status404NotFound, LaravelMessages.TokenNotFound);

    private static JsonHttpResult<LaravelMessage> Message(int status, string message)
        => TypedResults.Json(new LaravelMessage(message), SanctumJson.Options, statusCode: status);

    /// <summary>An engine refusal the input checks could not foresee (an operator's name, count or scope rule), in Laravel's shapes.</summary>
    private static IResult From(TokenError error)
    {
        var errors = new LaravelValidationErrors();
        switch (error.Code)
        {
            case TokenErrorCode.NameTaken:
                errors.Add("name", LaravelMessages.Taken("name"));
                return Unprocessable(errors);
            case TokenErrorCode.Invalid:
                var field = error.Field switch { null or "scopes" => "abilities", var other => other };
                errors.Add(field, ValidationMessage(error, field));
                return Unprocessable(errors);
            case TokenErrorCode.NotFound:
                return NotFound();
            case TokenErrorCode.LimitReached:
                return Message(StatusCodes.Status403Forbidden, string.Create(CultureInfo.InvariantCulture, $"Too many tokens ({error.Limit}) already exist for this user."));
            case TokenErrorCode.Forbidden or TokenErrorCode.InsufficientScope:
                return Message(StatusCodes.Status403Forbidden, LaravelMessages.Unauthorized);
            default:
                return Message(StatusCodes.Status409Conflict, "The token was changed by another request.");
        }
    }

    // The rule Laravel's validator would have applied to the attribute, in its words.
    private static string ValidationMessage(TokenError error, string attribute) => error.Reason switch
    {
        TokenErrorReason.NameMissing or TokenErrorReason.ScopesMissing => LaravelMessages.Required(attribute),
        TokenErrorReason.NameTooLong or TokenErrorReason.DescriptionTooLong => LaravelMessages.MaxCharacters(attribute, error.Limit ?? 0),
        TokenErrorReason.ScopeUnknown or TokenErrorReason.ScopeNotAllowed or TokenErrorReason.ScopeAdminOnly
            or TokenErrorReason.ScopeBeyondCeiling or TokenErrorReason.ScopesNotNarrowed => LaravelMessages.SelectedInvalid(attribute),
        _ => LaravelMessages.FormatInvalid(attribute),
    };
}

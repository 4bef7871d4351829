using System.Globalization;
using System.Text.Json;
using Latchkey.AspNetCore;
using Latchkey.Policy;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Stores;

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>Unleash's personal access token API, <c>/api/admin/user/tokens</c>, over the engine.</summary>
internal static class UnleashPatEndpoints
{
    private const string TokensPath = "/api/admin/user/tokens";

    public static RouteGroupBuilder MapUnleashPatApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/admin").WithTags("Unleash").WithLatchkeyErrors(UnleashErrorWriter.Instance)
            .AnswersUnleashErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);

        admin.MapPost("/user/tokens", CreatePatAsync).RequireScope("api")
            .WithName("UnleashCreatePat").WithSummary("Create a new personal access token (PAT) for the current user; the secret is in this response only.")
            .DocumentsBody<UnleashCreatePatBody>("application/json").Produces<UnleashPat>(StatusCodes.Status201Created)
            .AnswersUnleashErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        admin.MapGet("/user/tokens", GetPatsAsync).RequireScope("read_api")
            .WithName("UnleashGetPats").WithSummary("Get all personal access tokens (PATs) for the current user.")
            .Produces<UnleashPats>();
        admin.MapDelete("/user/tokens/{id}", DeletePatAsync).RequireScope("api")
            .WithName("UnleashDeletePat").WithSummary("Delete a personal access token (PAT) of the current user.")
            .Produces(StatusCodes.Status200OK).AnswersUnleashErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithParameters(DocumentedParameters.NumericTokenId);

        // Unleash answers any other admin path with its own 404 (GET and PATCH on a PAT among them), after log-in.
        admin.MapFallback("{**path}", PathNotAvailable).RequireLatchkey().ExcludeFromDescription();
        return admin;
    }

    private static async Task<IResult> CreatePatAsync(HttpContext context, TokenManager manager)
    {
        var (body, error) = await UnleashCreatePatBody.ReadAsync(context.Request);
        if (error is not null)
        {
            return error;
        }

        var request = new CreateTokenRequest { Name = body!.Description, Expiry = TokenExpiry.On(body.ExpiresAt), Origin = UnleashDialect.Name };
        var result = await manager.CreateAsync(CurrentUser(context), request, context.RequestAborted);
        if (!result.Succeeded)
        {
            return Refusal(result.Error);
        }

        // Unleash documents a Location header but 7.5.1 sends none; this one names the new PAT's own URL, the one
        // its DELETE takes (Unleash has no GET for a single PAT).
        context.Response.Headers.Location = $"{context.Request.PathBase}{TokensPath}/{result.Value.Token.Id.ToString(CultureInfo.InvariantCulture)}";
        context.Response.SetNoStore();
        return TypedResults.Json(UnleashPat.From(result.Value.Token, result.Value.Secret), UnleashJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// The user's personal access tokens, whichever API made them, that are not revoked. Expired ones stay listed
    /// until deleted, as Unleash lists them.
    /// </summary>
    private static async Task<IResult> GetPatsAsync(HttpContext context, TokenManager manager)
    {
        var pats = await manager.ListAllAsync(CurrentUser(context), new TokenQuery { Sort = TokenSort.IdAsc }, context.RequestAborted)
            .Select(token => UnleashPat.From(token)).ToListAsync(context.RequestAborted);
        return TypedResults.Json(new UnleashPats(pats), UnleashJson.Options);
    }

    /// <summary>
    /// Revokes one of the user's PATs. Unleash deletes the row, so a PAT revoked before is gone too: it, an unknown
    /// id and another user's id all answer the same 404, and nothing is touched.
    /// </summary>
    private static async Task<IResult> DeletePatAsync(string id, HttpContext context, TokenManager manager)
    {
        if (!IsInteger(id))
        {
            return UnleashErrors.SchemaViolation(UnleashErrors.Invalid("/params/id", "must be integer", JsonSerializer.Serialize(id, UnleashJson.Options)));
        }

        // An integer too large for any id is still an integer: no such PAT.
        if (!long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var tokenId))
        {
            return UnleashErrors.PatNotFound();
        }

        var revoked = await manager.RevokeAsync(CurrentUser(context), tokenId, context.RequestAborted);
        return revoked.Succeeded ? TypedResults.Ok() : UnleashErrors.PatNotFound();
    }

    private static IResult PathNotAvailable(HttpContext context)
        => UnleashErrors.PathNotAvailable((context.Request.PathBase + context.Request.Path).ToUriComponent());

    /// <summary>
    /// Unleash's PAT endpoints are about the caller's own tokens, whoever the caller is: an administrator too lists,
    /// creates and deletes only their own here, so another user's PAT is as invisible as an unknown one. Unleash
    /// deletes what it revokes, so a revoked PAT (and a session) is not there at all.
    /// </summary>
    private static TokenActor CurrentUser(HttpContext context) => context.GetTokenActor().OwnTokensOnly().Seeing(TokenView.PersonalUnrevoked);

    private static bool IsInteger(string text)
    {
        var digits = text.AsSpan(text.StartsWith('-') || text.StartsWith('+') ? 1 : 0);
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>The engine's refusals in Unleash's words, in the order Unleash's PAT service checks.</summary>
    private static IResult Refusal(TokenError error) => (error.Code, error.Reason) switch
    {
        (_, TokenErrorReason.NameMissing) => UnleashErrors.BadData("PAT description cannot be empty."),
        (_, TokenErrorReason.NameTooLong)
            => UnleashErrors.BadData(string.Create(CultureInfo.InvariantCulture, $"PAT description is too long (maximum is {error.Limit} characters).")),
        (_, TokenErrorReason.NameInvalidCharacters) => UnleashErrors.BadData("PAT description must not contain control characters."),
        (_, TokenErrorReason.ExpiryInPast) => UnleashErrors.BadData("The expiry date should be in future."),

        // Unleash itself has no maximum lifetime; an operator may set one, and the message names the last instant allowed.
        (_, TokenErrorReason.ExpiryBeyondMaximum) => UnleashErrors.BadData(
            $"The expiry date should be no later than {error.LatestExpiry?.UtcDateTime.ToString(UtcDateTimeOffsetConverter.Format, CultureInfo.InvariantCulture)}."),

        // A PAT has all of its user's rights; a narrower credential (a native token with some scopes) cannot mint one.
        (TokenErrorCode.Invalid, _) when error.Field == "scopes"
            => UnleashErrors.OperationDenied("A PAT has all of its user's rights, so only a credential with all of them (a session or another PAT) can create one."),
        (TokenErrorCode.LimitReached, _)
            => UnleashErrors.OperationDenied(string.Create(CultureInfo.InvariantCulture, $"Too many PATs ({error.Limit}) already exist for this user.")),
        (TokenErrorCode.NameTaken, _) => UnleashErrors.NameExists("PAT description already exists."),
        (TokenErrorCode.Forbidden or TokenErrorCode.InsufficientScope, _) => UnleashErrors.OperationDenied("You cannot create a PAT for another user."),
        _ => UnleashErrors.BadData("The PAT could not be created."),
    };
}

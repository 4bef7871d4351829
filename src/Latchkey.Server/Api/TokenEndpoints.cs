using System.Globalization;
using Latchkey.AspNetCore;
using Latchkey.Policy;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Stores;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Api;

/// <summary>The native token API under <c>/api/tokens</c>: snake_case JSON, GitLab-like, problem details on error.</summary>
internal static class TokenEndpoints
{
    public static RouteGroupBuilder MapTokenApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tokens").WithTags("Tokens").AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);

        group.MapPost("/", CreateTokenAsync).RequireScope("api").WithName("CreateToken").WithSummary("Create a personal access token; the secret is in this response only.")
            .DocumentsBody<CreateTokenBody>("application/json").Produces<IssuedTokenResponse>(StatusCodes.Status201Created)
            .AnswersValidationProblem().AnswersProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/", ListTokensAsync).RequireScope("read_api").WithName("ListTokens").WithSummary("List tokens (own; administrators may pass user_id or all=true).")
            .Produces<IEnumerable<TokenResponse>>().AnswersValidationProblem().AnswersProblems(StatusCodes.Status403Forbidden).WithParameters(DocumentedParameters.NativeTokenList);
        group.MapGet("/self", GetSelfAsync).RequireLatchkey().WithName("GetCurrentToken").WithSummary("The token making this request.")
            .Produces<TokenResponse>();
        group.MapGet("/{id:long}", GetTokenAsync).RequireScope("read_api").WithName("GetToken")
            .Produces<TokenResponse>().AnswersProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.TokenId);
        group.MapPatch("/{id:long}", UpdateTokenAsync).RequireScope("api").WithName("UpdateToken").WithSummary("Rename, describe, narrow scopes or change expiry.")
            .DocumentsBody<UpdateTokenBody>("application/json").Produces<TokenResponse>().WithParameters(DocumentedParameters.TokenId)
            .AnswersProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/{id:long}/rotate", RotateTokenAsync).RequireScope("api").DetectsTokenReuse().WithName("RotateToken").WithSummary("Revoke a token and issue its replacement.")
            .DocumentsBody<RotateTokenBody>(isOptional: true, "application/json").Produces<IssuedTokenResponse>().WithParameters(DocumentedParameters.TokenId)
            .AnswersProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/self/rotate", RotateSelfAsync).RequireScope("self_rotate").DetectsTokenReuse().WithName("RotateCurrentToken")
            .DocumentsBody<RotateTokenBody>(isOptional: true, "application/json").Produces<IssuedTokenResponse>()
            .AnswersProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        group.MapDelete("/{id:long}", RevokeTokenAsync).RequireScope("api").WithName("RevokeToken")
            .Produces(StatusCodes.Status204NoContent).AnswersProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.TokenId);
        group.MapDelete("/self", RevokeSelfAsync).RequireLatchkey().WithName("RevokeCurrentToken")
            .Produces(StatusCodes.Status204NoContent);
        group.MapPost("/revoke", RevokeByValueAsync).RequireScope("api").WithName("RevokeTokenByValue").WithSummary("Revoke a token by its secret (e.g. a leaked one).")
            .DocumentsBody<TokenValueBody>("application/json").Produces(StatusCodes.Status204NoContent)
            .AnswersValidationProblem().AnswersProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        return group;
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext context, TokenManager manager, TimeProvider time, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<CreateTokenBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        if (!ExpiryParser.TryRead(body!.ExpiresAt, body.NeverExpiresAcknowledged, out var expiry))
        {
            return InvalidExpiry();
        }

        var result = await manager.CreateAsync(
            context.GetTokenActor(),
            new CreateTokenRequest { UserId = body.UserId, Name = body.Name, Description = body.Description, Scopes = body.Scopes, Expiry = expiry },
            context.RequestAborted);
        if (!result.Succeeded)
        {
            return ApiProblems.From(result.Error);
        }

        context.Response.SetNoStore();
        return TypedResults.Created($"/api/tokens/{result.Value.Token.Id}", IssuedTokenResponse.From(result.Value, time.GetUtcNow()));
    }

    private static async Task<IResult> ListTokensAsync(HttpContext context, TokenManager manager, TimeProvider time)
    {
        if (!TokenQueryReader.TryRead(context.Request, TokenSort.CreatedDesc, out var query, out var error))
        {
            return ApiProblems.Validation(error!.Value.Field, error.Value.Message);
        }

        var actor = context.GetTokenActor();
        var all = false;
        if (context.Request.Query.TryGetValue("all", out var allText) && !bool.TryParse(allText, out all))
        {
            return ApiProblems.Validation("all", "all must be 'true' or 'false'.");
        }

        long? userId = actor.UserId;
        if (context.Request.Query.TryGetValue("user_id", out var userText))
        {
            if (!long.TryParse(userText, NumberStyles.None, CultureInfo.InvariantCulture, out var requested))
            {
                return ApiProblems.Validation("user_id", "user_id must be a whole number.");
            }

            userId = requested;
        }
        else if (all)
        {
            userId = null;
        }

        if (userId != actor.UserId && !actor.IsAdmin)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Forbidden", "Only administrators can list other users' tokens.");
        }

        var page = await manager.ListAsync(actor, query with { UserId = userId }, context.RequestAborted);
        Pagination.WriteHeaders(context, page);
        var now = time.GetUtcNow();
        return TypedResults.Ok(page.Items.Select(t => TokenResponse.From(t, now)));
    }

    private static async Task<IResult> GetTokenAsync(long id, HttpContext context, TokenManager manager, TimeProvider time)
    {
        var result = await manager.GetAsync(context.GetTokenActor(), id, context.RequestAborted);
        return result.Succeeded ? TypedResults.Ok(TokenResponse.From(result.Value, time.GetUtcNow())) : ApiProblems.From(result.Error);
    }

    private static async Task<IResult> GetSelfAsync(HttpContext context, TokenManager manager, TimeProvider time)
    {
        var result = await manager.GetCurrentAsync(context.GetLatchkeyToken()!, context.RequestAborted);
        return result.Succeeded ? TypedResults.Ok(TokenResponse.From(result.Value, time.GetUtcNow())) : ApiProblems.From(result.Error);
    }

    private static async Task<IResult> UpdateTokenAsync(long id, HttpContext context, TokenManager manager, TimeProvider time, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<UpdateTokenBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        if (!TryReadChangedExpiry(body!.ExpiresAt, body.NeverExpiresAcknowledged, out var expiry))
        {
            return InvalidExpiry();
        }

        if (!JsonBody.TryReadOptionalString(body.Description, out var descriptionSet, out var description))
        {
            return ApiProblems.Validation("description", "description must be a string or null.");
        }

        var request = new UpdateTokenRequest { Name = body.Name, Description = description, DescriptionSet = descriptionSet, Scopes = body.Scopes, Expiry = expiry };
        var result = await manager.UpdateAsync(context.GetTokenActor(), id, request, context.RequestAborted);
        return result.Succeeded ? TypedResults.Ok(TokenResponse.From(result.Value, time.GetUtcNow())) : ApiProblems.From(result.Error);
    }

    private static async Task<IResult> RotateTokenAsync(long id, HttpContext context, TokenManager manager, TimeProvider time, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<RotateTokenBody>(context.Request, json.Value.SerializerOptions, allowEmpty: true);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        if (!TryReadChangedExpiry(body!.ExpiresAt, body.NeverExpiresAcknowledged, out var expiry))
        {
            return InvalidExpiry();
        }

        var result = await manager.RotateAsync(context.GetTokenActor(), id, expiry, context.RequestAborted);
        if (!result.Succeeded)
        {
            return ApiProblems.From(result.Error);
        }

        context.Response.SetNoStore();
        return TypedResults.Ok(IssuedTokenResponse.From(result.Value, time.GetUtcNow()));
    }

    private static Task<IResult> RotateSelfAsync(HttpContext context, TokenManager manager, TimeProvider time, IOptions<JsonOptions> json)
        => RotateTokenAsync(context.GetLatchkeyToken()!.TokenId, context, manager, time, json);

    private static async Task<IResult> RevokeTokenAsync(long id, HttpContext context, TokenManager manager)
    {
        var result = await manager.RevokeAsync(context.GetTokenActor(), id, context.RequestAborted);
        return result.Succeeded ? TypedResults.NoContent() : ApiProblems.From(result.Error);
    }

    private static Task<IResult> RevokeSelfAsync(HttpContext context, TokenManager manager)
        => RevokeTokenAsync(context.GetLatchkeyToken()!.TokenId, context, manager);

    private static async Task<IResult> RevokeByValueAsync(HttpContext context, TokenManager manager, IOptions<JsonOptions> json)
    {
        var (token, problem) = await TokenValueBody.ReadAsync(context, json);
        if (problem is not null)
        {
            return problem;
        }

        // Unknown and someone else's tokens answer the same 404: the call cannot test whether a string is live.
        var result = await manager.RevokeBySecretAsync(context.GetTokenActor(), token!, context.RequestAborted);
        return result.Succeeded ? TypedResults.NoContent() : ApiProblems.From(result.Error);
    }

    // For PATCH and rotate: absent leaves the expiry alone (null), anything else is read as on create.
    private static bool TryReadChangedExpiry(System.Text.Json.JsonElement element, bool neverAcknowledged, out TokenExpiry? expiry)
    {
        expiry = null;
        if (element.ValueKind == System.Text.Json.JsonValueKind.Undefined)
        {
            return true;
        }

        if (!ExpiryParser.TryRead(element, neverAcknowledged, out var parsed))
        {
            return false;
        }

        expiry = parsed;
        return true;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem InvalidExpiry()
        => ApiProblems.Validation("expires_at", $"expires_at must be {ExpiryParser.FormatHint}, or null for a token that never expires.");
}

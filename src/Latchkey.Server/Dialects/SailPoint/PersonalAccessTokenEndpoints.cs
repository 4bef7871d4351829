using System.Text.Json;
using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Stores;
using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// SailPoint's personal access token API, identical under <c>/v3</c>, <c>/beta</c> and <c>/v2024</c>: each handler
/// reads SailPoint's wire format, asks the engine, and answers in SailPoint's shape.
/// </summary>
internal static class PersonalAccessTokenEndpoints
{
    private const string JsonPatchMediaType = "application/json-patch+json";

    public static RouteGroupBuilder MapPersonalAccessTokens(this IEndpointRouteBuilder routes, string version, string label)
    {
        var group = routes.MapGroup($"/{version}/personal-access-tokens")
            .WithTags($"SailPoint {label}")
            .WithLatchkeyErrors(SailPointErrorWriter.Instance)
            .AnswersSailPointErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);

        group.MapPost("/", CreateAsync).RequireScope(SailPointScopes.ManageMine)
            .WithName($"SailPoint{label}CreatePersonalAccessToken").WithSummary("Create a personal access token; the secret is in this response only.")
            .DocumentsBody<CreatePersonalAccessTokenRequest>("application/json").Produces<CreatedPersonalAccessTokenResponse>()
            .AnswersSailPointErrors(StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/", ListAsync).RequireScope(SailPointScopes.ManageMine)
            .WithName($"SailPoint{label}ListPersonalAccessTokens").WithSummary("List personal access tokens (owner-id=me, an identity id, or all for administrators).")
            .Produces<IEnumerable<PersonalAccessTokenResponse>>().AnswersSailPointErrors(StatusCodes.Status400BadRequest)
            .WithParameters(DocumentedParameters.SailPointTokenList);
        group.MapPatch("/{id}", PatchAsync).RequireScope(SailPointScopes.ManageMine)
            .WithName($"SailPoint{label}PatchPersonalAccessToken").WithSummary("Replace name, scope, expirationDate or userAwareTokenNeverExpires (JSON Patch).")
            .DocumentsBody<IReadOnlyList<JsonPatchOperation>>(JsonPatchMediaType).Produces<PersonalAccessTokenResponse>().WithParameters(DocumentedParameters.SailPointTokenId)
            .AnswersSailPointErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status415UnsupportedMediaType);
        group.MapDelete("/{id}", DeleteAsync).RequireScope(SailPointScopes.ManageMine)
            .WithName($"SailPoint{label}DeletePersonalAccessToken").WithSummary("Delete (revoke) a personal access token.")
            .Produces(StatusCodes.Status204NoContent).AnswersSailPointErrors(StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.SailPointTokenId);
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, TokenManager manager, IUserStore users)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<CreatePersonalAccessTokenBody>(context.Request, SailPointJson.Options);
        if (bodyError is not null)
        {
            return SailPointErrors.From(bodyError);
        }

        if (!SailPointValues.TryReadString(body!.Name, "name", out var name, out var error)
            || !SailPointValues.TryReadScopes(body.Scope, out var scopes, out error)
            || !SailPointValues.TryReadValiditySeconds(body.AccessTokenValiditySeconds, out var validitySeconds, out error)
            || !SailPointValues.TryReadBoolean(body.UserAwareTokenNeverExpires, "userAwareTokenNeverExpires", out var acknowledged, out error)
            || !SailPointValues.TryReadExpiry(body.ExpirationDate, acknowledged == true, out var expiry, out error))
        {
            return error;
        }

        if (name is null)
        {
            return SailPointErrors.Missing("name is required.");
        }

        var request = new CreateTokenRequest
        {
            Name = name,
            Scopes = scopes,
            Expiry = expiry,
            Origin = SailPointDialect.PolicyName,
            Attributes = SailPointTokenAttributes.With(
                new Dictionary<string, string>(),
                validitySeconds ?? SailPointTokenAttributes.DefaultValiditySeconds,
                acknowledged ?? false),
        };
        var result = await manager.CreateAsync(context.GetTokenActor(), request, context.RequestAborted);
        if (!result.Succeeded)
        {
            return SailPointErrors.From(result.Error);
        }

        context.Response.SetNoStore();
        var owner = await OwnerAsync(users, result.Value.Token.UserId, context.RequestAborted);

        // SailPoint answers a create with 200, not 201.
        return TypedResults.Json(CreatedPersonalAccessTokenResponse.From(result.Value, owner), SailPointJson.Options);
    }

    private static async Task<IResult> ListAsync(HttpContext context, TokenManager manager, IUserStore users)
    {
        var actor = CurrentUser(context);
        var mayListOthers = actor.ReachesEveryone;
        long? ownerId = null;
        var ownerText = context.Request.Query["owner-id"].ToString();
        if (ownerText == SailPointIds.Me)
        {
            ownerId = actor.UserId;
        }
        else if (SailPointIds.TryParseIdentity(ownerText, out var parsed))
        {
            ownerId = parsed;
        }
        else if (ownerText.Length > 0 && mayListOthers)
        {
            // No identity has that id: nobody's tokens.
            return TypedResults.Json(Array.Empty<PersonalAccessTokenResponse>(), SailPointJson.Options);
        }

        // As in SailPoint, omitting owner-id (null here) means "everyone's", which only administrators may ask for.
        if (ownerId != actor.UserId && !mayListOthers)
        {
            return SailPointErrors.NotAllowed(
                $"Listing tokens other than your own (owner-id={SailPointIds.Me}) needs an administrator and the '{SailPointScopes.ManageAll}' scope.");
        }

        // A SailPoint token that was deleted no longer exists (the actor's view); an expired one is still listed until it is deleted.
        var query = new TokenQuery { UserId = ownerId, Sort = TokenSort.CreatedAsc };
        if (!SailPointFilter.TryApply(context.Request.Query["filters"], query, out query, out var filterError))
        {
            return SailPointErrors.Content(filterError!);
        }

        var owners = new Dictionary<long, PatOwner>();
        var items = new List<PersonalAccessTokenResponse>();
        await foreach (var token in manager.ListAllAsync(actor, query, context.RequestAborted))
        {
            if (!owners.TryGetValue(token.UserId, out var owner))
            {
                owner = owners[token.UserId] = await OwnerAsync(users, token.UserId, context.RequestAborted);
            }

            items.Add(PersonalAccessTokenResponse.From(token, owner));
        }

        return TypedResults.Json(items, SailPointJson.Options);
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext context, TokenManager manager, IUserStore users)
    {
        if (!IsJsonPatch(context.Request))
        {
            return SailPointErrors.From(new BodyError(BodyErrorKind.UnsupportedMediaType, "body", $"Content-Type must be {JsonPatchMediaType} (got '{context.Request.ContentType}')."));
        }

        var (operations, bodyError) = await JsonBody.ReadAsync<List<JsonElement>>(context.Request, SailPointJson.Options);
        if (bodyError is not null)
        {
            return SailPointErrors.From(bodyError);
        }

        if (!SailPointPatch.TryRead(operations!, out var patch, out var error))
        {
            return error;
        }

        var actor = CurrentUser(context);
        var lookup = await manager.GetByPublicIdAsync(actor, id, context.RequestAborted);
        if (!lookup.Succeeded)
        {
            return SailPointErrors.NotFound();
        }

        var found = lookup.Value;
        if (!patch.TryResolveExpiry(found, out var expiry, out error))
        {
            return error;
        }

        var token = found;
        if (!patch.IsEmpty)
        {
            var request = new UpdateTokenRequest
            {
                Name = patch.Name,
                Scopes = patch.Scopes,
                Expiry = expiry,
                Attributes = patch.NeverExpiresAcknowledged is null ? null : SailPointTokenAttributes.With(found.Attributes, null, patch.NeverExpiresAcknowledged),
            };
            var result = await manager.UpdateAsync(actor, found.Id, request, context.RequestAborted);
            if (!result.Succeeded)
            {
                return SailPointErrors.From(result.Error);
            }

            token = result.Value;
        }

        var owner = await OwnerAsync(users, token.UserId, context.RequestAborted);
        return TypedResults.Json(PersonalAccessTokenResponse.From(token, owner), SailPointJson.Options);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, TokenManager manager)
    {
        var actor = CurrentUser(context);
        var token = await manager.GetByPublicIdAsync(actor, id, context.RequestAborted);
        if (!token.Succeeded)
        {
            return SailPointErrors.NotFound();
        }

        var result = await manager.RevokeAsync(actor, token.Value.Id, context.RequestAborted);
        return result.Succeeded ? TypedResults.NoContent() : SailPointErrors.From(result.Error);
    }

    /// <summary>
    /// The caller as SailPoint sees them: other users' tokens are within reach only of an administrator whose
    /// credential holds SailPoint's "all personal access tokens" scope, and a session, access token or revoked
    /// token (SailPoint deletes what it revokes) is simply not found.
    /// </summary>
    private static TokenActor CurrentUser(HttpContext context)
    {
        var actor = context.GetTokenActor().Seeing(TokenView.PersonalUnrevoked);
        return actor.Granted.Grants(SailPointScopes.ManageAll) ? actor : actor.OwnTokensOnly();
    }

    private static async Task<PatOwner> OwnerAsync(IUserStore users, long userId, CancellationToken cancellationToken)
        => await users.FindAsync(userId, cancellationToken) is { } user ? PatOwner.From(user) : PatOwner.Unknown(userId);

    private static bool IsJsonPatch(HttpRequest request)
        => Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && mediaType.MediaType.Equals(JsonPatchMediaType, StringComparison.OrdinalIgnoreCase);
}

using System.Globalization;
using Latchkey.AspNetCore;
using Latchkey.Policy;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Stores;
using Latchkey.Users;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Api;

/// <summary>
/// <c>/api/administration</c> (not <c>/api/admin</c>, which is the Unleash dialect's): what an administrator needs
/// across users — every token with its owner, whose a leaked value is, and the token policy in effect. The admin pages
/// call the same engine operations.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>The most days <c>expires_within_days</c> takes: ten years, beyond any maximum lifetime worth having.</summary>
    public const int MaxExpiresWithinDays = 3650;

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/administration").WithTags("Administration").RequireAdministrator()
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        admin.MapGet("/tokens", ListTokensAsync).RequireScope("read_api").WithName("ListAllTokens")
            .WithSummary("Every user's personal access tokens with their owner's username, filtered and paged (administrators only).")
            .Produces<IEnumerable<AdminTokenResponse>>().AnswersValidationProblem().WithParameters(DocumentedParameters.AdminTokenList);
        // A leaked value is looked up with the same care as the changes an administrator makes to other people: a
        // session or admin_mode, never a plain read_api token.
        admin.MapPost("/tokens/lookup", LookupTokenAsync).RequireScope("read_api").RequireScope(UserEndpoints.AdminMode).WithName("LookupToken")
            .WithSummary("Whose token a (leaked) secret is: owner, name, scopes, last use; then revoke it by id. Unknown values answer 404.")
            .DocumentsBody<TokenValueBody>("application/json").Produces<AdminTokenResponse>().AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        admin.MapGet("/policy", GetPolicy).RequireScope("read_api").WithName("GetTokenPolicy")
            .WithSummary("The token policies in effect (native first, then each dialect's), read-only (administrators only).")
            .Produces<EffectivePolicyResponse>();
        return admin;
    }

    private static async Task<IResult> ListTokensAsync(HttpContext context, TokenManager manager, TimeProvider time)
    {
        if (!TryReadQuery(context.Request, time.GetUtcNow(), out var query, out var error))
        {
            return ApiProblems.Validation(error!.Value.Field, error.Value.Message);
        }

        var page = await manager.ListWithOwnersAsync(context.GetTokenActor(), query, context.RequestAborted);
        Pagination.WriteHeaders(context, page);
        var now = time.GetUtcNow();
        return TypedResults.Ok(page.Items.Select(owned => AdminTokenResponse.From(owned, now)));
    }

    /// <summary>
    /// The list filters of <see cref="TokenQueryReader"/> (with <c>state=revoked</c> and <c>expired</c>), whose tokens
    /// (<c>user_id</c>, <c>username</c>; everyone's by default) and <c>expires_within_days</c>: active tokens that
    /// expire within that many days of <paramref name="now"/>.
    /// </summary>
    public static bool TryReadQuery(HttpRequest request, DateTimeOffset now, out TokenQuery query, out (string Field, string Message)? error)
    {
        if (!TokenQueryReader.TryRead(request, TokenSort.CreatedDesc, out query, out error, inactiveStates: true))
        {
            return false;
        }

        var q = request.Query;
        if (q.TryGetValue("user_id", out var userText))
        {
            if (!long.TryParse(userText, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
            {
                error = ("user_id", "user_id must be a whole number.");
                return false;
            }

            query = query with { UserId = userId };
        }

        if (q.TryGetValue("username", out var username) && username.ToString().Length > 0)
        {
            if (username.ToString().Length > UserManager.MaxFieldLength)
            {
                error = ("username", $"username is too long (maximum is {UserManager.MaxFieldLength} characters).");
                return false;
            }

            query = query with { OwnerUsername = username.ToString() };
        }

        if (q.TryGetValue("expires_within_days", out var daysText) && daysText.ToString().Length > 0)
        {
            if (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > MaxExpiresWithinDays)
            {
                error = ("expires_within_days", $"expires_within_days must be a whole number from 1 to {MaxExpiresWithinDays}.");
                return false;
            }

            // "Expiring" is said of tokens that still work: combined with an inactive state it could only list nothing.
            if (query.Active == false || query.Revoked == true)
            {
                error = ("expires_within_days", "expires_within_days lists active tokens; leave state out or set it to 'active'.");
                return false;
            }

            query = query with { Active = true, ExpiresBefore = now.AddDays(days) };
        }

        return true;
    }

    private static async Task<IResult> LookupTokenAsync(HttpContext context, TokenManager manager, TimeProvider time, IOptions<JsonOptions> json)
    {
        var (token, problem) = await TokenValueBody.ReadAsync(context, json);
        if (problem is not null)
        {
            return problem;
        }

        // Malformed, unknown and out-of-reach values answer the same 404, with nothing echoed back.
        var result = await manager.FindBySecretAsync(context.GetTokenActor(), token!, context.RequestAborted);
        if (!result.Succeeded)
        {
            return ApiProblems.From(result.Error);
        }

        context.Response.SetNoStore();
        return TypedResults.Ok(AdminTokenResponse.From(result.Value, time.GetUtcNow()));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<EffectivePolicyResponse> GetPolicy(TokenPolicyProvider policies, IOptions<LatchkeyOptions> options)
        => TypedResults.Ok(Describe(policies, options.Value));

    /// <summary>The policies in effect, as <c>GET /api/administration/policy</c> and the admin policy page show them.</summary>
    public static EffectivePolicyResponse Describe(TokenPolicyProvider policies, LatchkeyOptions options)
        => new(options.SessionLifetime, options.Retention, [.. policies.Names.Select(name => TokenPolicyResponse.From(name, policies.Get(name).Options))]);
}

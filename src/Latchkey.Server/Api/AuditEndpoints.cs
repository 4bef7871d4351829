using System.Globalization;
using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Stores;
using Latchkey.Users;

namespace Latchkey.Server.Api;

/// <summary><c>GET /api/audit</c>: the audit log, newest first, filtered, with names, for administrators.</summary>
internal static class AuditEndpoints
{
    public static RouteHandlerBuilder MapAuditApi(this IEndpointRouteBuilder routes)
        => routes.MapGet("/api/audit", ListAsync).RequireAdministrator().RequireScope("read_api").WithTags("Audit").WithName("ListAuditEvents")
            .WithSummary("The audit log, newest first; filter by action, user (actor or subject) and token.")
            .Produces<IEnumerable<AuditEventResponse>>().AnswersValidationProblem().WithParameters(DocumentedParameters.AuditList)
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> ListAsync(HttpContext context, IAuditStore audit)
    {
        if (!TryReadQuery(context.Request, out var query, out var error))
        {
            return ApiProblems.Validation(error!.Value.Field, error.Value.Message);
        }

        var result = await audit.QueryAsync(query, context.RequestAborted);
        Pagination.WriteHeaders(context, result);
        return TypedResults.Ok(result.Items.Select(AuditEventResponse.From));
    }

    /// <summary>Paging and the filters <c>action</c>, <c>user_id</c>, <c>username</c> and <c>token_id</c>; empty values are no filter.</summary>
    public static bool TryReadQuery(HttpRequest request, out AuditQuery query, out (string Field, string Message)? error)
    {
        query = new AuditQuery();
        if (!Pagination.TryRead(request, out var page, out var perPage, out error))
        {
            return false;
        }

        query = query with { Page = page, PerPage = perPage };
        var q = request.Query;
        if (Text(q, "action") is { } action)
        {
            if (action.Length > 100)
            {
                error = ("action", "action is too long (maximum is 100 characters).");
                return false;
            }

            query = query with { Action = action };
        }

        if (Text(q, "username") is { } username)
        {
            if (username.Length > UserManager.MaxFieldLength)
            {
                error = ("username", $"username is too long (maximum is {UserManager.MaxFieldLength} characters).");
                return false;
            }

            query = query with { Username = username };
        }

        foreach (var name in new[] { "user_id", "token_id" })
        {
            if (Text(q, name) is not { } text)
            {
                continue;
            }

            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                error = (name, $"{name} must be a whole number.");
                return false;
            }

            query = name == "user_id" ? query with { UserId = id } : query with { TokenId = id };
        }

        return true;
    }

    private static string? Text(IQueryCollection query, string name)
        => query.TryGetValue(name, out var value) && value.ToString().Length > 0 ? value.ToString() : null;
}

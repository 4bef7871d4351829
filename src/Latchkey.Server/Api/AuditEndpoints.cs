using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Stores;

namespace Latchkey.Server.Api;

/// <summary><c>GET /api/audit</c>: the audit log, newest first, for administrators.</summary>
internal static class AuditEndpoints
{
    public static RouteHandlerBuilder MapAuditApi(this IEndpointRouteBuilder routes)
        => routes.MapGet("/api/audit", ListAsync).RequireAdministrator().RequireScope("read_api").WithTags("Audit").WithName("ListAuditEvents")
            .Produces<IEnumerable<AuditEventResponse>>().AnswersValidationProblem().WithParameters(DocumentedParameters.Paging)
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> ListAsync(HttpContext context, IAuditStore audit)
    {
        if (!Pagination.TryRead(context.Request, out var page, out var perPage, out var error))
        {
            return ApiProblems.Validation(error!.Value.Field, error.Value.Message);
        }

        var result = await audit.QueryAsync(page, perPage, context.RequestAborted);
        Pagination.WriteHeaders(context, result);
        return TypedResults.Ok(result.Items.Select(e => new AuditEventResponse(
            e.Id, e.Entry.Action, e.Entry.At, e.Entry.ActorUserId, e.Entry.TokenId, e.Entry.SubjectUserId, e.Entry.IpAddress, e.Entry.Details)));
    }
}

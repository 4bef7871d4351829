using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Server.Users;
using Latchkey.Stores;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Api;

/// <summary><c>GET /api/user</c> (who am I) and the administrators' <c>/api/users</c>.</summary>
internal static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/user", GetCurrentUserAsync).RequireScope("read_user").WithTags("Users").WithName("GetCurrentUser")
            .Produces<UserResponse>().AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
        var users = routes.MapGroup("/api/users").WithTags("Users").RequireAdministrator()
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        // A new user may be an administrator, whose session mints sudo and * tokens: creating one needs a
        // full-rights credential (a session) or admin_mode, as GitLab's Admin Mode asks, never a plain api PAT.
        users.MapPost("/", CreateUserAsync).RequireScope("api").RequireScope("admin_mode").WithName("CreateUser")
            .WithSummary("Create a user (administrators only, with a session or an admin_mode token).")
            .DocumentsBody<CreateUserBody>("application/json").Produces<UserResponse>(StatusCodes.Status201Created).AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        users.MapGet("/", ListUsersAsync).RequireScope("read_api").WithName("ListUsers")
            .Produces<IEnumerable<UserResponse>>().AnswersValidationProblem().WithParameters(DocumentedParameters.Paging);
        return routes;
    }

    private static async Task<IResult> GetCurrentUserAsync(HttpContext context, IUserStore users)
    {
        var user = await users.FindAsync(context.GetLatchkeyToken()!.UserId, context.RequestAborted);
        return user is null ? ApiProblems.Problem(StatusCodes.Status404NotFound, "Not found") : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<IResult> CreateUserAsync(HttpContext context, UserService service, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<CreateUserBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        var actor = context.GetTokenActor();
        var (user, field, error, conflict) = await service.CreateAsync(body!.Username, body.Password, body.Email, body.Name, body.Admin, actor.UserId, actor.IpAddress, context.RequestAborted);
        if (user is null)
        {
            return conflict ? ApiProblems.Problem(StatusCodes.Status409Conflict, "Username already taken", error) : ApiProblems.Validation(field!, error!);
        }

        return TypedResults.Created($"/api/users/{user.Id}", UserResponse.From(user));
    }

    private static async Task<IResult> ListUsersAsync(HttpContext context, IUserStore users)
    {
        if (!Pagination.TryRead(context.Request, out var page, out var perPage, out var error))
        {
            return ApiProblems.Validation(error!.Value.Field, error.Value.Message);
        }

        var result = await users.ListAsync(page, perPage, context.RequestAborted);
        Pagination.WriteHeaders(context, result);
        return TypedResults.Ok(result.Items.Select(UserResponse.From));
    }
}

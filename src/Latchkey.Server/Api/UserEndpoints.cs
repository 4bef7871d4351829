using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Server.Users;
using Latchkey.Stores;
using Latchkey.Users;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Api;

/// <summary>
/// <c>/api/user</c> (who am I, my password) and <c>/api/users</c>. Everything is judged by <see cref="UserManager"/>:
/// a non-administrator sees only their own id, every other answers 404.
/// </summary>
internal static class UserEndpoints
{
    // Changing other people (and whether anyone is an administrator) needs a full-rights credential (a session) or
    // admin_mode, as GitLab's Admin Mode asks, never a plain api PAT: a stolen api token must not lock users out.
    public const string AdminMode = Latchkey.Policy.ScopeCatalog.AdminMode;

    public static IEndpointRouteBuilder MapUserApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/user", GetCurrentUserAsync).RequireScope("read_user").WithTags("Users").WithName("GetCurrentUser")
            .Produces<UserResponse>().AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
        routes.MapPut("/api/user/password", ChangePasswordAsync).RequireScope("api").WithTags("Users").WithName("ChangePassword")
            .WithSummary("Change your own password, giving the current one; your other sessions end, this one and your tokens stay.")
            .DocumentsBody<ChangePasswordBody>("application/json").Produces(StatusCodes.Status204NoContent).AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests);

        var users = routes.MapGroup("/api/users").WithTags("Users")
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        // A new user may be an administrator, whose session mints sudo and * tokens.
        users.MapPost("/", CreateUserAsync).RequireAdministrator().RequireScope("api").RequireScope(AdminMode).WithName("CreateUser")
            .WithSummary("Create a user (administrators only, with a session or an admin_mode token).")
            .DocumentsBody<CreateUserBody>("application/json").Produces<UserResponse>(StatusCodes.Status201Created).AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        users.MapGet("/", ListUsersAsync).RequireAdministrator().RequireScope("read_api").WithName("ListUsers")
            .Produces<IEnumerable<UserResponse>>().AnswersValidationProblem().WithParameters(DocumentedParameters.Paging);
        users.MapGet("/{id:long}", GetUserAsync).RequireScope("read_user").WithName("GetUser")
            .WithSummary("A user: yourself, or for administrators anyone.")
            .Produces<UserResponse>().AnswersProblems(StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.NativeUserId);
        users.MapPatch("/{id:long}", UpdateUserAsync).RequireScope("api").WithName("UpdateUser")
            .WithSummary("Change name or email (your own, or for administrators anyone's); administrators with a session or an admin_mode token may also set is_admin and password.")
            .DocumentsBody<UpdateUserBody>("application/json").Produces<UserResponse>().AnswersValidationProblem().WithParameters(DocumentedParameters.NativeUserId)
            .AnswersProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        users.MapDelete("/{id:long}", DeleteUserAsync).RequireAdministrator().RequireScope("api").RequireScope(AdminMode).WithName("DeleteUser")
            .WithSummary("Delete a user and all their tokens; the audit log keeps its entries (administrators only, never yourself or the last administrator).")
            .Produces(StatusCodes.Status204NoContent).AnswersProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).WithParameters(DocumentedParameters.NativeUserId);
        users.MapPost("/{id:long}/block", BlockUserAsync).RequireAdministrator().RequireScope("api").RequireScope(AdminMode).WithName("BlockUser")
            .WithSummary("Block a user: their tokens stop working from the next request, their sessions end, they cannot sign in (administrators only, never yourself or the last administrator).")
            .Produces<UserResponse>().AnswersProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict).WithParameters(DocumentedParameters.NativeUserId);
        users.MapPost("/{id:long}/unblock", UnblockUserAsync).RequireAdministrator().RequireScope("api").RequireScope(AdminMode).WithName("UnblockUser")
            .WithSummary("Unblock a user: their personal access tokens work again (administrators only).")
            .Produces<UserResponse>().AnswersProblems(StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.NativeUserId);
        users.MapDelete("/{id:long}/tokens", RevokeUserTokensAsync).RequireAdministrator().RequireScope("api").RequireScope(AdminMode).WithName("RevokeUserTokens")
            .WithSummary("Revoke all of a user's personal access tokens and what derives from them (administrators only).")
            .Produces<RevokedTokensResponse>().AnswersProblems(StatusCodes.Status404NotFound).WithParameters(DocumentedParameters.NativeUserId);
        return routes;
    }

    private static async Task<IResult> GetCurrentUserAsync(HttpContext context, IUserStore users)
    {
        var user = await users.FindAsync(context.GetLatchkeyToken()!.UserId, context.RequestAborted);
        return user is null ? ApiProblems.Problem(StatusCodes.Status404NotFound, "Not found") : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<IResult> CreateUserAsync(HttpContext context, UserManager manager, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<CreateUserBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        var request = new CreateUserRequest { Username = body!.Username, Password = body.Password, Email = body.Email, Name = body.Name, IsAdmin = body.Admin };
        var result = await manager.CreateAsync(context.GetTokenActor(), request, context.RequestAborted);
        if (!result.Succeeded)
        {
            return result.Error.Code == TokenErrorCode.NameTaken
                ? ApiProblems.Problem(StatusCodes.Status409Conflict, "Username already taken", result.Error.Message)
                : ApiProblems.From(result.Error);
        }

        return TypedResults.Created($"/api/users/{result.Value.Id}", UserResponse.From(result.Value));
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

    private static async Task<IResult> GetUserAsync(long id, HttpContext context, UserManager manager)
        => Answer(await manager.GetAsync(context.GetTokenActor(), id, context.RequestAborted));

    private static async Task<IResult> UpdateUserAsync(long id, HttpContext context, UserManager manager, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<UpdateUserBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        if (!JsonBody.TryReadOptionalString(body!.Name, out var nameSet, out var name))
        {
            return ApiProblems.Validation("name", "name must be a string or null.");
        }

        if (!JsonBody.TryReadOptionalString(body.Email, out var emailSet, out var email))
        {
            return ApiProblems.Validation("email", "email must be a string or null.");
        }

        var actor = context.GetTokenActor();
        if ((body.IsAdmin is not null || body.Password is not null) && actor.IsAdmin && !actor.Granted.Grants(AdminMode))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "Insufficient scope", $"The token lacks the '{AdminMode}' scope this request needs.");
        }

        var request = new UpdateUserRequest { Name = name, NameSet = nameSet, Email = email, EmailSet = emailSet, IsAdmin = body.IsAdmin, Password = body.Password };
        return Answer(await manager.UpdateAsync(actor, id, request, context.RequestAborted));
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, UserManager manager, SignInThrottle throttle, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<ChangePasswordBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        // Guesses at the current password count as failed sign-ins: a stolen token must not become a password oracle.
        var client = context.Connection.RemoteIpAddress;
        var username = context.GetLatchkeyToken()!.Username;
        if (throttle.IsLimited(client, username, out var retryAfter))
        {
            return ApiProblems.TooManyRequests(context.Response, retryAfter, "Too many failed password checks");
        }

        var result = await manager.ChangePasswordAsync(context.GetTokenActor(), body!.CurrentPassword, body.NewPassword, context.RequestAborted);
        if (result.Error?.Reason == TokenErrorReason.PasswordIncorrect)
        {
            throttle.RecordFailure(client, username);
        }

        return result.Succeeded ? TypedResults.NoContent() : ApiProblems.From(result.Error);
    }

    private static async Task<IResult> DeleteUserAsync(long id, HttpContext context, UserManager manager)
    {
        var result = await manager.DeleteAsync(context.GetTokenActor(), id, context.RequestAborted);
        return result.Succeeded ? TypedResults.NoContent() : ApiProblems.From(result.Error);
    }

    private static async Task<IResult> BlockUserAsync(long id, HttpContext context, UserManager manager)
        => Answer(await manager.BlockAsync(context.GetTokenActor(), id, context.RequestAborted));

    private static async Task<IResult> UnblockUserAsync(long id, HttpContext context, UserManager manager)
        => Answer(await manager.UnblockAsync(context.GetTokenActor(), id, context.RequestAborted));

    private static async Task<IResult> RevokeUserTokensAsync(long id, HttpContext context, UserManager manager)
    {
        var result = await manager.RevokeTokensAsync(context.GetTokenActor(), id, context.RequestAborted);
        return result.Succeeded ? TypedResults.Ok(new RevokedTokensResponse(result.Value)) : ApiProblems.From(result.Error);
    }

    private static IResult Answer(Result<User> result) => result.Succeeded ? TypedResults.Ok(UserResponse.From(result.Value)) : ApiProblems.From(result.Error);
}

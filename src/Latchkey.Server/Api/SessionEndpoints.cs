using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Server.Users;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Api;

/// <summary>Sign-in sessions: <c>POST /api/session</c> trades a username and password for a session token.</summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/session").WithTags("Session");
        group.MapPost("/", SignInAsync).AllowAnonymous().WithName("SignIn").WithSummary("Sign in; returns a session token accepted wherever a PAT is.")
            .DocumentsBody<SignInBody>("application/json").Produces<SessionResponse>(StatusCodes.Status201Created).AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests);
        group.MapDelete("/", SignOutAsync).RequireLatchkey().WithName("SignOut").WithSummary("End the session whose token makes this request.")
            .Produces(StatusCodes.Status204NoContent).AnswersProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        return group;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, UserManager users, SignInThrottle throttle, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<SignInBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        if (string.IsNullOrEmpty(body!.Username))
        {
            return ApiProblems.Validation("username", "username is required.");
        }

        if (string.IsNullOrEmpty(body.Password))
        {
            return ApiProblems.Validation("password", "password is required.");
        }

        // Before the password is looked at: verifying it while limited would tell a guesser when it was right.
        var client = context.Connection.RemoteIpAddress;
        if (throttle.IsLimited(client, body.Username, out var retryAfter))
        {
            context.Response.SetRetryAfter(retryAfter);
            return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins", "Wait before trying again.");
        }

        var session = await users.SignInAsync(body.Username, body.Password, client?.ToString(), context.RequestAborted);
        if (session is null)
        {
            throttle.RecordFailure(client, body.Username);

            // One answer for unknown user and wrong password: don't reveal which usernames exist.
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Invalid username or password");
        }

        context.Response.SetNoStore();
        return TypedResults.Created("/api/session", new SessionResponse(session.Secret, session.Token.ExpiresAt!.Value));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, TokenManager manager)
    {
        var token = context.GetLatchkeyToken()!;
        if (token.Kind != TokenKind.Session)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "Not a session", "This request is authenticated with a personal access token, not a session; revoke it with DELETE /api/tokens/self.");
        }

        var result = await manager.RevokeAsync(context.GetTokenActor(), token.TokenId, context.RequestAborted);
        return result.Succeeded ? TypedResults.NoContent() : ApiProblems.From(result.Error);
    }
}

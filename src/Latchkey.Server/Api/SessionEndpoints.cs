using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Server.Users;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Api;

/// <summary>Sign-in sessions: <c>POST /api/session</c> trades a username and password for a session token.</summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/session").WithTags("Session");
        group.MapPost("/", SignInAsync).AllowAnonymous().WithName("SignIn")
            .WithSummary("Sign in; returns a session token accepted wherever a PAT is. A user with two-factor authentication also sends otp; without it the answer is 401 with \"error\": \"otp_required\".")
            .DocumentsBody<SignInBody>("application/json").Produces<SessionResponse>(StatusCodes.Status201Created).AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests);
        group.MapDelete("/", SignOutAsync).RequireLatchkey().WithName("SignOut").WithSummary("End the session whose token makes this request.")
            .Produces(StatusCodes.Status204NoContent).AnswersProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
        return group;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, UserManager users, SignInThrottle throttle, SecondFactorThrottle secondFactors, IOptions<JsonOptions> json)
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

        if (TwoFactorEndpoints.OtpTooLong(body.Otp) is { } tooLong)
        {
            return tooLong;
        }

        // Before the password is looked at: verifying it while limited would tell a guesser when it was right.
        var client = context.Connection.RemoteIpAddress;
        if (throttle.IsLimited(client, body.Username, out var retryAfter))
        {
            return ApiProblems.TooManyRequests(context.Response, retryAfter, "Too many failed sign-ins");
        }

        var ip = client?.ToString();
        var result = await users.SignInAsync(body.Username, body.Password, null, ip, context.RequestAborted);
        if (result.Outcome == SignInOutcome.SecondFactorRequired)
        {
            if (string.IsNullOrWhiteSpace(body.Otp))
            {
                return OtpRequired();
            }

            var userId = result.UserId!.Value;
            if (secondFactors.IsLimited(userId, out retryAfter))
            {
                return ApiProblems.TooManyRequests(context.Response, retryAfter, "Too many failed sign-ins");
            }

            result = await users.SignInWithSecondFactorAsync(userId, body.Otp, ip, context.RequestAborted);
            if (result.Outcome != SignInOutcome.Succeeded)
            {
                secondFactors.RecordFailure(userId);
            }
        }

        if (result.Session is not { } session)
        {
            throttle.RecordFailure(client, body.Username);

            // One answer for unknown user, wrong password and wrong code: don't reveal which usernames exist.
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Invalid username or password");
        }

        context.Response.SetNoStore();
        return TypedResults.Created("/api/session", new SessionResponse(session.Secret, session.Token.ExpiresAt!.Value)
        {
            TwoFactorDueBy = result.TwoFactorDueBy,
            TwoFactorEnrolmentOnly = result.TwoFactorDueBy is null ? null : result.EnrolmentOnly,
        });
    }

    private static ProblemHttpResult OtpRequired()
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "Two-factor authentication code required",
            Detail = "This account has two-factor authentication: send otp as well, a current code from the authenticator app or an unused recovery code.",
        };
        problem.Extensions["error"] = "otp_required";
        return TypedResults.Problem(problem);
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

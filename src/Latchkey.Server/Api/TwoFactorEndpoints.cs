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

/// <summary>
/// Two-factor authentication: <c>/api/user/two_factor</c> for one's own (status, enrol, confirm, disable, new
/// recovery codes) and <c>DELETE /api/users/{id}/two_factor</c> for an administrator's reset. Judged by
/// <see cref="TwoFactorManager"/>. One's own settings take a session, never a personal access token: a leaked PAT
/// must not be able to turn the second factor off or read new recovery codes (GitHub asks for sudo mode; turning it
/// off and new codes also ask for a current code or the password here).
/// </summary>
internal static class TwoFactorEndpoints
{
    // Longer than any code or recovery code could be, even with spaces: refused as bad input, not counted as a wrong code.
    private const int MaxCodeLength = 64;

    public static IEndpointRouteBuilder MapTwoFactorApi(this IEndpointRouteBuilder routes)
    {
        // No scope: a session has them all, and the session a required policy limits to enrolling has none but its own.
        var own = routes.MapGroup("/api/user/two_factor").WithTags("Two-factor authentication").RequireLatchkey()
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        own.MapGet("/", GetStatusAsync).WithName("GetTwoFactorStatus")
            .WithSummary("Whether two-factor authentication is on, and how many recovery codes are left (with a session).")
            .Produces<TwoFactorStatusResponse>();
        own.MapPost("/", StartAsync).WithName("StartTwoFactorEnrolment")
            .WithSummary("Start (or restart) enrolling an authenticator app: returns its key and otpauth:// URI (with a session; 409 when already enabled).")
            .Produces<TwoFactorEnrolmentResponse>(StatusCodes.Status201Created).AnswersProblems(StatusCodes.Status409Conflict);
        own.MapPost("/confirm", ConfirmAsync).WithName("ConfirmTwoFactorEnrolment")
            .WithSummary("Turn two-factor authentication on with a current code from the app; returns ten single-use recovery codes, shown this once.")
            .DocumentsBody<TwoFactorCodeBody>("application/json").Produces<RecoveryCodesResponse>().AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType).AnswersWrongCode();
        own.MapDelete("/", DisableAsync).WithName("DisableTwoFactor")
            .WithSummary("Turn two-factor authentication off, given a current code (or a recovery code) or the password.")
            .DocumentsBody<TwoFactorCodeBody>("application/json").Produces(StatusCodes.Status204NoContent).AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType).AnswersWrongCode();
        own.MapPost("/recovery_codes", RegenerateRecoveryCodesAsync).WithName("RegenerateRecoveryCodes")
            .WithSummary("Replace all recovery codes with ten new ones, given a current code or the password; shown this once.")
            .DocumentsBody<TwoFactorCodeBody>("application/json").Produces<RecoveryCodesResponse>().AnswersValidationProblem()
            .AnswersProblems(StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType).AnswersWrongCode();

        routes.MapDelete("/api/users/{id:long}/two_factor", ResetAsync).WithTags("Users").WithName("ResetTwoFactor")
            .RequireAdministrator().RequireScope("api").RequireScope(UserEndpoints.AdminMode)
            .WithSummary("Turn off a user's two-factor authentication (a lost device), removing their recovery codes (administrators only, with a session or an admin_mode token; not your own).")
            .Produces<UserResponse>().WithParameters(DocumentedParameters.NativeUserId)
            .AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests);
        return routes;
    }

    // A well-formed but wrong code or password: 422 with the field at fault, apart from the 400 of a malformed request.
    private static RouteHandlerBuilder AnswersWrongCode(this RouteHandlerBuilder builder)
        => builder.Answers<HttpValidationProblemDetails, RouteHandlerBuilder>(StatusCodes.Status422UnprocessableEntity, "application/problem+json");

    /// <summary>The 400 for an <c>otp</c> no code or recovery code could be, or <c>null</c>.</summary>
    public static ValidationProblem? OtpTooLong(string? otp) => otp is { Length: > MaxCodeLength }
        ? ApiProblems.Validation("otp", $"otp is too long (a code is 6 digits, a recovery code {RecoveryCodes.Length + 1} characters).")
        : null;

    private static async Task<IResult> GetStatusAsync(HttpContext context, TwoFactorManager manager)
    {
        if (SessionOnly(context) is { } refusal)
        {
            return refusal;
        }

        var status = await manager.GetStatusAsync(context.GetLatchkeyToken()!.UserId, context.RequestAborted);
        return status is null ? ApiProblems.Problem(StatusCodes.Status404NotFound, "Not found") : TypedResults.Ok(TwoFactorStatusResponse.From(status));
    }

    private static async Task<IResult> StartAsync(HttpContext context, TwoFactorManager manager)
    {
        if (SessionOnly(context) is { } refusal)
        {
            return refusal;
        }

        var result = await manager.StartAsync(context.GetTokenActor(), context.RequestAborted);
        if (!result.Succeeded)
        {
            return ApiProblems.From(result.Error);
        }

        context.Response.SetNoStore();
        return TypedResults.Created("/api/user/two_factor", new TwoFactorEnrolmentResponse(result.Value.Secret, result.Value.OtpAuthUri));
    }

    private static Task<IResult> ConfirmAsync(HttpContext context, TwoFactorManager manager, SecondFactorThrottle throttle, IOptions<JsonOptions> json)
        => WithCodeAsync(context, throttle, json, async (actor, body) =>
        {
            if (!string.IsNullOrEmpty(body.Password))
            {
                return (null, ApiProblems.Validation("password", "Confirm with otp, a current code from the authenticator app being enrolled; a password is not accepted here."));
            }

            var result = await manager.ConfirmAsync(actor, body.Otp, context.RequestAborted);
            return (result.Error, result.Succeeded ? Codes(context, result.Value) : null);
        });

    private static Task<IResult> DisableAsync(HttpContext context, TwoFactorManager manager, SecondFactorThrottle throttle, IOptions<JsonOptions> json)
        => WithCodeAsync(context, throttle, json, async (actor, body) =>
        {
            var result = await manager.DisableAsync(actor, body.Otp, body.Password, context.RequestAborted);
            return (result.Error, result.Succeeded ? TypedResults.NoContent() : null);
        });

    private static Task<IResult> RegenerateRecoveryCodesAsync(HttpContext context, TwoFactorManager manager, SecondFactorThrottle throttle, IOptions<JsonOptions> json)
        => WithCodeAsync(context, throttle, json, async (actor, body) =>
        {
            var result = await manager.RegenerateRecoveryCodesAsync(actor, body.Otp, body.Password, context.RequestAborted);
            return (result.Error, result.Succeeded ? Codes(context, result.Value) : null);
        });

    private static async Task<IResult> ResetAsync(long id, HttpContext context, TwoFactorManager manager)
    {
        var result = await manager.ResetAsync(context.GetTokenActor(), id, context.RequestAborted);
        return result.Succeeded ? TypedResults.Ok(UserResponse.From(result.Value)) : ApiProblems.From(result.Error);
    }

    // Reads the body, refuses a personal access token and a user over their budget of wrong codes, and counts a
    // wrong code or password against it.
    private static async Task<IResult> WithCodeAsync(
        HttpContext context,
        SecondFactorThrottle throttle,
        IOptions<JsonOptions> json,
        Func<TokenActor, TwoFactorCodeBody, Task<(TokenError? Error, IResult? Answer)>> action)
    {
        if (SessionOnly(context) is { } refusal)
        {
            return refusal;
        }

        var (body, bodyError) = await JsonBody.ReadAsync<TwoFactorCodeBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return ApiProblems.From(bodyError);
        }

        if (OtpTooLong(body!.Otp) is { } tooLong)
        {
            return tooLong;
        }

        if (body.Password is { Length: > UserManager.MaximumPasswordLength })
        {
            return ApiProblems.Validation("password", $"password is too long (maximum is {UserManager.MaximumPasswordLength} characters).");
        }

        var actor = context.GetTokenActor();
        if (throttle.IsLimited(actor.UserId, out var retryAfter))
        {
            return ApiProblems.TooManyRequests(context.Response, retryAfter, "Too many wrong codes");
        }

        var (error, answer) = await action(actor, body);
        if (error is null)
        {
            return answer!;
        }

        if (error.Reason is TokenErrorReason.TwoFactorCodeIncorrect or TokenErrorReason.PasswordIncorrect)
        {
            throttle.RecordFailure(actor.UserId);

            // Well-formed but wrong: 422 keyed by the field, apart from the 400 of a malformed request.
            var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [error.Field!] = [error.Message] })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = error.Reason == TokenErrorReason.PasswordIncorrect ? "Incorrect password" : "Incorrect code",
            };
            return TypedResults.Problem(problem);
        }

        return ApiProblems.From(error);
    }

    private static Ok<RecoveryCodesResponse> Codes(HttpContext context, IReadOnlyList<string> codes)
    {
        context.Response.SetNoStore();
        return TypedResults.Ok(new RecoveryCodesResponse(codes));
    }

    private static ProblemHttpResult? SessionOnly(HttpContext context)
        => context.GetLatchkeyToken()!.Kind == TokenKind.Session
            ? null
            : ApiProblems.Problem(
                StatusCodes.Status403Forbidden,
                "Session required",
                "Two-factor settings need a sign-in session (POST /api/session), not a personal access token: a leaked token must not be able to change them.");
}

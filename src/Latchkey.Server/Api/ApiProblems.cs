using Latchkey.AspNetCore;
using Latchkey.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Latchkey.Server.Api;

/// <summary>The native API's errors, all RFC 9457 problem details; validation errors are keyed by field.</summary>
internal static class ApiProblems
{
    public static ValidationProblem Validation(string field, string message)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "One or more fields are invalid.");

    public static ProblemHttpResult Problem(int status, string title, string? detail = null)
        => TypedResults.Problem(statusCode: status, title: title, detail: detail);

    /// <summary>429 with <c>Retry-After</c>: a throttle refused the request before any password or code was looked at.</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, TimeSpan retryAfter, string title)
    {
        response.SetRetryAfter(retryAfter);
        return Problem(StatusCodes.Status429TooManyRequests, title, "Wait before trying again.");
    }

    public static IResult From(BodyError error) => error.Kind switch
    {
        BodyErrorKind.UnsupportedMediaType => Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", error.Message),
        BodyErrorKind.TooLarge => Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", error.Message),
        BodyErrorKind.Unreadable => Problem(StatusCodes.Status400BadRequest, "Unreadable request body", error.Message),
        _ => Validation(error.Field, error.Message),
    };

    /// <summary>Maps an engine refusal onto a status code. NotFound covers "someone else's" too, by design.</summary>
    public static IResult From(TokenError error) => error.Code switch
    {
        TokenErrorCode.Invalid => Validation(error.Field ?? "body", error.Message),
        TokenErrorCode.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", error.Message),
        TokenErrorCode.InsufficientScope or TokenErrorCode.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", error.Message),
        TokenErrorCode.LimitReached => Problem(StatusCodes.Status403Forbidden, "Token limit reached", error.Message),
        TokenErrorCode.NameTaken => Problem(StatusCodes.Status409Conflict, "Name already in use", error.Message),
        TokenErrorCode.ReuseDetected => Problem(StatusCodes.Status400BadRequest, "Token reuse detected", error.Message),
        TokenErrorCode.Inactive => Problem(StatusCodes.Status400BadRequest, "Token is not active", error.Message),
        TokenErrorCode.AlreadyRotated => Problem(StatusCodes.Status409Conflict, "Token already rotated", error.Message),
        _ => Problem(StatusCodes.Status409Conflict, "Conflict", error.Message),
    };
}

using System.Globalization;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// GitLab's answers, built the way its API helpers build them (<c>not_found!</c>, <c>bad_request!</c>,
/// <c>forbidden!</c>, Grape's validation errors), and the translation of engine refusals onto them.
/// </summary>
internal static class GitLabResults
{
    public const string TokenResource = "Personal Access Token";
    public const string UserResource = "User";

    public static readonly GitLabMessage UnauthorizedBody = new("401 Unauthorized");
    public static readonly GitLabMessage ForbiddenBody = new("403 Forbidden");

    /// <summary>
    /// A rotation asked for again (a retry, or by id once the token has a successor). Worded as GitLab's
    /// <c>conflict!</c> answers are; GitLab itself would revoke the family here, which is what Latchkey avoids.
    /// </summary>
    public static readonly GitLabMessage AlreadyRotatedBody = new("409 Conflict - token already rotated");

    /// <summary>The status line as the message, as GitLab's <c>render_api_error!</c> helpers word their answers.</summary>
    public static readonly GitLabMessage TooManyRequestsBody = new("429 Too Many Requests");

    /// <summary>GitLab's <c>service_unavailable!</c>: the status line as the message.</summary>
    public static readonly GitLabMessage ServiceUnavailableBody = new("503 Service Unavailable");

    /// <summary><c>not_found!(resource)</c>: <c>404 {resource} Not Found</c>, or <c>404 Not Found</c>.</summary>
    public static IResult NotFound(string? resource = null)
        => Message(StatusCodes.Status404NotFound, resource is null ? "404 Not Found" : $"404 {resource} Not Found");

    /// <summary><c>bad_request!(reason)</c>: <c>400 Bad request - {reason}</c>.</summary>
    public static IResult BadRequest(string reason) => Message(StatusCodes.Status400BadRequest, $"400 Bad request - {reason}");

    public static IResult Forbidden(string? reason = null)
        => Message(StatusCodes.Status403Forbidden, reason is null ? ForbiddenBody.Message : $"403 Forbidden - {reason}");

    public static IResult MethodNotAllowed() => Message(StatusCodes.Status405MethodNotAllowed, "405 Method Not Allowed");

    /// <summary>What Grape answers when parameters fail their declarations: all messages, comma-separated.</summary>
    public static IResult InvalidParameters(IEnumerable<string> messages)
        => Error(StatusCodes.Status400BadRequest, string.Join(", ", messages));

    /// <summary>Grape's catch-all route for paths GitLab does not have.</summary>
    public static IResult UnknownRoute() => Error(StatusCodes.Status404NotFound, "404 Not Found");

    public static IResult Message(int status, string message) => TypedResults.Json(new GitLabMessage(message), statusCode: status);

    public static IResult Error(int status, string error) => TypedResults.Json(new GitLabError(error), statusCode: status);

    /// <summary>
    /// Maps an engine refusal. <paramref name="viaBadRequest"/> is for endpoints whose service errors GitLab passes
    /// through <c>bad_request!</c> (rotate); create endpoints answer the model's message as it is.
    /// </summary>
    public static IResult Refused(TokenError error, string notFoundResource, bool viaBadRequest = false)
    {
        switch (error.Code)
        {
            case TokenErrorCode.Invalid when error.Field == "scopes":
                return InvalidParameters(["scopes does not have a valid value"]);
            case TokenErrorCode.Invalid:
                var text = ModelMessage(error);
                return viaBadRequest ? BadRequest(text) : Message(StatusCodes.Status400BadRequest, text);
            case TokenErrorCode.NotFound:
                return NotFound(error.Field == "user_id" ? UserResource : notFoundResource);
            case TokenErrorCode.ReuseDetected:
            case TokenErrorCode.Inactive:
                return BadRequest("token already revoked");
            case TokenErrorCode.AlreadyRotated:
                return TypedResults.Json(AlreadyRotatedBody, statusCode: StatusCodes.Status409Conflict);
            case TokenErrorCode.NameTaken:
                return Message(StatusCodes.Status400BadRequest, "Name has already been taken");
            case TokenErrorCode.LimitReached:
                return Forbidden(string.Create(CultureInfo.InvariantCulture, $"Too many tokens ({error.Limit}) already exist for this user."));
            case TokenErrorCode.InsufficientScope:
            case TokenErrorCode.Forbidden:
                return Forbidden();
            default:
                return Message(StatusCodes.Status409Conflict, "409 Conflict: Resource lock");
        }
    }

    // The token model's full messages, as Rails words them ("Name is too long (maximum is 255 characters)").
    private static string ModelMessage(TokenError error) => error.Reason switch
    {
        TokenErrorReason.NameMissing => "Name can't be blank",
        TokenErrorReason.NameTooLong => TooLong("Name", error.Limit),
        TokenErrorReason.NameInvalidCharacters => "Name must not contain control characters",
        TokenErrorReason.DescriptionTooLong => TooLong("Description", error.Limit),
        TokenErrorReason.ExpiryInPast => "Expiration date must be in the future",

        // GitLab names the last day allowed: the date the maximum lifetime, counted from now, runs out.
        TokenErrorReason.ExpiryBeyondMaximum when error.LatestExpiry is { } latest
            => $"Expiration date must be before {latest.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",

        // What GitLab answers when its instance requires an expiry and none was given.
        TokenErrorReason.NeverExpiringNotAllowed or TokenErrorReason.NeverExpiringNotAcknowledged => "Expiration date can't be blank",
        _ => "Invalid request",
    };

    private static string TooLong(string attribute, int? maximum)
        => string.Create(CultureInfo.InvariantCulture, $"{attribute} is too long (maximum is {maximum} characters)");
}

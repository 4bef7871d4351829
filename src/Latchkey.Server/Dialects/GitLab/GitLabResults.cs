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
    /// <paramref name="expiryMessage"/> phrases an <c>expires_at</c> refusal the way GitLab's model does.
    /// </summary>
    public static IResult Refused(TokenError error, string notFoundResource, Func<string>? expiryMessage = null, bool viaBadRequest = false)
    {
        switch (error.Code)
        {
            case TokenErrorCode.Invalid when error.Field == "scopes":
                return InvalidParameters(["scopes does not have a valid value"]);
            case TokenErrorCode.Invalid:
                var text = error.Field == "expires_at" && expiryMessage is not null ? expiryMessage() : ModelMessage(error);
                return viaBadRequest ? BadRequest(text) : Message(StatusCodes.Status400BadRequest, text);
            case TokenErrorCode.NotFound:
                return NotFound(error.Field == "user_id" ? UserResource : notFoundResource);
            case TokenErrorCode.ReuseDetected:
            case TokenErrorCode.Inactive:
                return BadRequest("token already revoked");
            case TokenErrorCode.NameTaken:
                return Message(StatusCodes.Status400BadRequest, "Name has already been taken");
            case TokenErrorCode.LimitReached:
                return Forbidden(error.Message);
            case TokenErrorCode.InsufficientScope:
            case TokenErrorCode.Forbidden:
                return Forbidden();
            default:
                return Message(StatusCodes.Status409Conflict, "409 Conflict: Resource lock");
        }
    }

    /// <summary>
    /// GitLab's model message for an expiry it refuses: "Expiration date must be before {last allowed day}" when the
    /// date is past the maximum lifetime (the engine has already judged that; this only words it).
    /// </summary>
    public static string ExpiryMessage(DateOnly? requested, TimeSpan? maximumLifetime, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (requested is null || requested <= today || maximumLifetime is not { } max)
        {
            return "Expiration date must be in the future";
        }

        var lastDay = DateOnly.FromDateTime((now + max).UtcDateTime);
        return $"Expiration date must be before {lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }

    // Rails' full messages: "Name is too long (maximum is 255 characters)".
    private static string ModelMessage(TokenError error)
    {
        if (error.Field == "name" && error.Message.StartsWith("name is missing", StringComparison.Ordinal))
        {
            return "Name can't be blank";
        }

        var message = error.Message.TrimEnd('.');
        return message.Length == 0 ? "Invalid request" : char.ToUpperInvariant(message[0]) + message[1..];
    }
}

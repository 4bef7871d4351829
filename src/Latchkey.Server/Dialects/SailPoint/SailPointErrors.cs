using System.Diagnostics;
using System.Security.Cryptography;
using Latchkey.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// Builds SailPoint's <see cref="ErrorResponseDto"/> answers. <c>messages</c> carries the generic text of the detail
/// code, <c>causes</c> the specific reason, as SailPoint's schema describes the two.
/// </summary>
internal static class SailPointErrors
{
    public const string BadSyntax = "400.0 Bad request syntax";
    public const string BadContent = "400.1 Bad Request Content";
    public const string MissingData = "400.1.0 Required data missing or empty";
    public const string LimitViolation = "400.1.4 Limit violation";
    public const string ReferenceConflict = "400.1.409 Reference conflict";
    public const string Unauthorized = "401 Unauthorized";
    public const string Forbidden = "403 Forbidden";
    public const string NotFoundCode = "404 Not found";
    public const string UnsupportedMediaType = "415 Unsupported Media Type";
    public const string PayloadTooLarge = "413 Payload Too Large";
    public const string TooManyRequests = "429 Too Many Requests";
    public const string ServiceUnavailable = "503 Service Unavailable";

    public const string UnauthorizedText = "The server did not receive valid authentication credentials.";

    private static readonly Dictionary<string, string> GenericTexts = new(StringComparer.Ordinal)
    {
        [BadSyntax] = "The request could not be parsed.",
        [BadContent] = "The request was syntactically correct but its content is semantically invalid.",
        [MissingData] = "Required data was missing or empty.",
        [LimitViolation] = "The request would exceed a limit.",
        [ReferenceConflict] = "The request conflicts with an existing object.",
        [Unauthorized] = UnauthorizedText,
        [Forbidden] = "The server understood the request but refuses to authorize it.",
        [NotFoundCode] = "The server did not find a current representation for the target resource.",
        [UnsupportedMediaType] = "The request's content type is not supported by this endpoint.",
        [PayloadTooLarge] = "The request body is larger than the server accepts.",
        [TooManyRequests] = "Rate Limit Exceeded",
        [ServiceUnavailable] = "The server is temporarily unable to handle the request.",
    };

    public static IResult Syntax(string cause) => Result(StatusCodes.Status400BadRequest, BadSyntax, cause);

    public static IResult Content(string cause) => Result(StatusCodes.Status400BadRequest, BadContent, cause);

    public static IResult Missing(string cause) => Result(StatusCodes.Status400BadRequest, MissingData, cause);

    public static IResult NotFound() => Result(StatusCodes.Status404NotFound, NotFoundCode, null);

    public static IResult NotAllowed(string cause) => Result(StatusCodes.Status403Forbidden, Forbidden, cause);

    /// <summary>
    /// A request body that could not be read: too large, cut off or badly framed, wrong media type, none at all, or
    /// not JSON of the right shape (a string that is not UTF-8 text among them).
    /// </summary>
    public static IResult From(BodyError error) => error.Kind switch
    {
        BodyErrorKind.UnsupportedMediaType => Result(StatusCodes.Status415UnsupportedMediaType, UnsupportedMediaType, error.Message),
        BodyErrorKind.TooLarge => Result(StatusCodes.Status413PayloadTooLarge, PayloadTooLarge, error.Message),
        BodyErrorKind.Unreadable => Syntax(error.Message),
        BodyErrorKind.Missing => Missing("A JSON request body is required."),
        BodyErrorKind.Invalid => Syntax(error.Message),
        _ => Syntax("The request body is not valid JSON of the expected shape."),
    };

    /// <summary>Maps an engine refusal. "Not yours" and "does not exist" are both 404, by design.</summary>
    public static IResult From(TokenError error)
    {
        var cause = SailPointCauses.For(error);
        return error.Code switch
        {
            TokenErrorCode.Invalid or TokenErrorCode.Inactive or TokenErrorCode.ReuseDetected => Content(cause),
            TokenErrorCode.NotFound => NotFound(),
            TokenErrorCode.Forbidden or TokenErrorCode.InsufficientScope => NotAllowed(cause),
            TokenErrorCode.NameTaken => Result(StatusCodes.Status400BadRequest, ReferenceConflict, cause),
            TokenErrorCode.LimitReached => Result(StatusCodes.Status400BadRequest, LimitViolation, cause),
            _ => Result(StatusCodes.Status400BadRequest, ReferenceConflict, cause),
        };
    }

    public static ErrorResponseDto Body(string detailCode, string? cause)
        => new(
            detailCode,
            TrackingId(),
            [ErrorMessageDto.English(GenericTexts[detailCode])],
            cause is null ? [] : [ErrorMessageDto.English(cause)]);

    private static JsonHttpResult<ErrorResponseDto> Result(int status, string detailCode, string? cause)
        => TypedResults.Json(Body(detailCode, cause), SailPointJson.Options, statusCode: status);

    // SailPoint's tracking ids are 32 lowercase hex digits; a W3C trace id has exactly that form and lets an
    // operator find the request in traces.
    private static string TrackingId()
        => Activity.Current is { } activity && activity.TraceId != default
            ? activity.TraceId.ToHexString()
            : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

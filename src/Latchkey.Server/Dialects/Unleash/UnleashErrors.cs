using System.Text.Json.Nodes;
using Latchkey.AspNetCore;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>
/// Unleash's error bodies, <c>{"id","name","message","details":[…]}</c>, as Unleash 7.5.1 writes them. Errors raised
/// by its middleware (request validation, content type, authentication, routing) carry an <c>id</c> (a UUID to quote
/// to support); errors raised by its services and caught by the controllers' handler do not. Which is which follows
/// the recorded responses, so clients that look for either see what they would see from Unleash.
/// </summary>
internal static class UnleashErrors
{
    private const string ValidationFailed = "Request validation failed: your request body or params contain invalid data";

    public const string AuthenticationRequiredMessage =
        "You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at /auth/simple/login";

    public const string UnauthorizedMessage = "You must log in to use Unleash.";

    /// <summary>Schema validation of the body or the path (ajv): with an id, the problem in <c>details</c>.</summary>
    public static IResult SchemaViolation(JsonObject detail)
        => Json(StatusCodes.Status400BadRequest, WithId("BadDataError", $"{ValidationFailed}. Refer to the `details` list for more information.", new JsonArray(detail)));

    /// <summary>A required property that is absent: <c>{"path","message"}</c>, in that order.</summary>
    public static JsonObject Required(string path) => new()
    {
        ["path"] = path,
        ["message"] = $"The `{path}` property is required. It was not present on the data you sent.",
    };

    /// <summary>A property of the wrong type or format: <c>{"message","path"}</c>, in that order.</summary>
    public static JsonObject Invalid(string path, string problem, string youSent) => new()
    {
        ["message"] = $"The `{path}` property {problem}. You sent {youSent}.",
        ["path"] = path,
    };

    /// <summary>A rule of the PAT service (empty description, past date): no id, the message repeated in details.</summary>
    public static IResult BadData(string message)
        => Json(StatusCodes.Status400BadRequest, WithoutId("BadDataError", $"{ValidationFailed}: {message}", message));

    public static IResult NameExists(string message) => Json(StatusCodes.Status409Conflict, WithoutId("NameExistsError", message, message));

    public static IResult OperationDenied(string message) => Json(StatusCodes.Status403Forbidden, WithoutId("OperationDeniedError", message, message));

    public static IResult PatNotFound() => Json(StatusCodes.Status404NotFound, WithoutId("NotFoundError", "No PAT found.", "No PAT found."));

    /// <summary>Unleash's catch-all for a route it does not have.</summary>
    public static IResult PathNotAvailable(string path)
    {
        var message = $"The path you were looking for ({path}) is not available.";
        return Json(StatusCodes.Status404NotFound, WithId("NotFoundError", message, Details(message)));
    }

    public static IResult ContentType(string? provided)
    {
        var message = $"We do not accept the content-type you provided ({(string.IsNullOrEmpty(provided) ? "you didn't provide one" : provided)}). "
            + "Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format.";
        return Json(StatusCodes.Status415UnsupportedMediaType, WithId("ContentTypeError", message, Details(message)));
    }

    /// <summary>What Express's body parser answers for a body it cannot read: only a message.</summary>
    public static IResult BodyParser(int status, string message) => Json(status, new JsonObject { ["message"] = message });

    public static JsonObject AuthenticationRequired()
    {
        var body = WithId("AuthenticationRequired", AuthenticationRequiredMessage, Details(AuthenticationRequiredMessage));
        body["path"] = "/auth/simple/login";
        body["type"] = "password";
        body["defaultHidden"] = false;
        return body;
    }

    public static JsonObject Unauthorized() => WithId("UnauthorizedError", UnauthorizedMessage, Details(UnauthorizedMessage));

    /// <summary>Unleash's RateLimitError, with its default message.</summary>
    public static JsonObject RateLimited()
    {
        const string message = "We're currently receiving too much traffic. Please try again later.";
        return WithId("RateLimitError", message, Details(message));
    }

    /// <summary>The database is unavailable: Unleash's name for a server error, "not the end user's fault".</summary>
    public static JsonObject Unavailable() => WithId("InternalError", LatchkeyDefaults.StoreUnavailableMessage, Details(LatchkeyDefaults.StoreUnavailableMessage));

    /// <summary>A credential without the scope an endpoint needs, as Unleash's permission check says it.</summary>
    public static JsonObject NoAccess(string? scope)
    {
        var message = scope is null
            ? "You don't have the required permissions to perform this operation."
            : $"You don't have the required permissions to perform this operation. To perform this action, you need the \"{scope}\" permission.";
        var body = WithId("NoAccessError", message, Details(message));
        body["permissions"] = scope is null ? new JsonArray() : new JsonArray(scope);
        return body;
    }

    private static JsonObject WithId(string name, string message, JsonArray details) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["name"] = name,
        ["message"] = message,
        ["details"] = details,
    };

    private static JsonObject WithoutId(string name, string message, string detail) => new()
    {
        ["name"] = name,
        ["message"] = message,
        ["details"] = Details(detail),
    };

    private static JsonArray Details(string message) => new(new JsonObject { ["message"] = message });

    private static JsonHttpResult<JsonObject> Json(int status, JsonObject body) => TypedResults.Json(body, UnleashJson.Options, statusCode: status);
}

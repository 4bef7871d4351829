using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Http;

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>
/// Reads <c>createPatSchema</c> (<c>{"description","expiresAt"}</c>, both required) in the order Unleash checks a
/// request: the content type, then the body parser, then the schema — required properties first, then each
/// property's type and format, stopping at the first problem as Unleash's validator does. Unknown properties are
/// ignored, as Unleash ignores them.
/// </summary>
internal sealed record UnleashCreatePatBody(string Description, DateTimeOffset ExpiresAt)
{
    public static async Task<(UnleashCreatePatBody? Body, IResult? Error)> ReadAsync(HttpRequest request)
    {
        var contentType = request.Headers.ContentType.ToString();
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, UnleashErrors.ContentType(contentType));
        }

        var (bytes, readError) = await RequestBody.ReadAsync(request);
        if (readError is not null)
        {
            // Express's body parser: "request entity too large", or "request aborted" for a body it could not receive.
            return (null, readError.Kind == BodyErrorKind.TooLarge
                ? UnleashErrors.BodyParser(StatusCodes.Status413PayloadTooLarge, "request entity too large")
                : UnleashErrors.BodyParser(StatusCodes.Status400BadRequest, "request aborted"));
        }

        // Express's body parser reads an empty body as {}: the schema then reports what is missing.
        string? parseError = null;
        using var document = bytes!.Length == 0 ? JsonDocument.Parse("{}") : TryParse(bytes, out parseError);
        if (document is null)
        {
            return (null, UnleashErrors.BodyParser(StatusCodes.Status400BadRequest, parseError!));
        }

        // Node would read such a string (invalid UTF-8 becomes U+FFFD, a lone surrogate stays); the engine cannot
        // store or hash it, so it is refused as schema validation would refuse a value it cannot accept.
        if (!JsonText.IsValidText(bytes, out var field))
        {
            var path = field is null ? "/body" : $"/body/{field}";
            return (null, UnleashErrors.SchemaViolation(new JsonObject
            {
                ["message"] = $"The `{path}` property must be valid Unicode text (no invalid UTF-8, no unpaired surrogate escapes).",
                ["path"] = path,
            }));
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, UnleashErrors.SchemaViolation(UnleashErrors.Invalid("/body", "must be object", YouSent(root))));
        }

        if (!root.TryGetProperty("description", out var description))
        {
            return (null, UnleashErrors.SchemaViolation(UnleashErrors.Required("/body/description")));
        }

        if (!root.TryGetProperty("expiresAt", out var expiresAt))
        {
            return (null, UnleashErrors.SchemaViolation(UnleashErrors.Required("/body/expiresAt")));
        }

        if (description.ValueKind != JsonValueKind.String)
        {
            return (null, UnleashErrors.SchemaViolation(UnleashErrors.Invalid("/body/description", "must be string", YouSent(description))));
        }

        if (expiresAt.ValueKind != JsonValueKind.String)
        {
            return (null, UnleashErrors.SchemaViolation(UnleashErrors.Invalid("/body/expiresAt", "must be string", YouSent(expiresAt))));
        }

        switch (UnleashDateTime.TryParse(expiresAt.GetString()!, out var instant))
        {
            case UnleashDateTime.Outcome.Parsed:
                return (new UnleashCreatePatBody(description.GetString()!, instant), null);
            case UnleashDateTime.Outcome.BeforeRepresentable:
                // Year 0: a valid date-time, and Unleash's "is it in the future" check is what refuses it.
                return (new UnleashCreatePatBody(description.GetString()!, DateTimeOffset.MinValue), null);
            case UnleashDateTime.Outcome.AfterRepresentable:
                return (null, UnleashErrors.BadData("The expiry date is too far in the future."));
            default:
                return (null, UnleashErrors.SchemaViolation(UnleashErrors.Invalid("/body/expiresAt", "must match format \"date-time\"", YouSent(expiresAt))));
        }
    }

    private static JsonDocument? TryParse(byte[] bytes, out string? error)
    {
        try
        {
            error = null;
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException exception)
        {
            error = ParserMessage(bytes, exception);
            return null;
        }
    }

    /// <summary>
    /// Node says e.g. "Expected double-quoted property name in JSON at position 21". Our parser words it differently,
    /// but the answer keeps the shape, and the position counts from the start of the body (in bytes; Node counts characters).
    /// </summary>
    private static string ParserMessage(byte[] bytes, JsonException exception)
    {
        // The parser's first sentence says what is wrong; the rest is advice about its options, or the location.
        var text = exception.Message;
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        var reason = (end >= 0 ? text[..end] : text).TrimEnd('.', ' ');
        if (exception.LineNumber is not { } line || exception.BytePositionInLine is not { } column)
        {
            return $"{reason} in JSON";
        }

        long position = 0;
        for (var remaining = line; remaining > 0 && position < bytes.Length; position++)
        {
            if (bytes[position] == (byte)'\n')
            {
                remaining--;
            }
        }

        return $"{reason} in JSON at position {position + column}";
    }

    // As Unleash quotes what was sent: JSON.stringify of the value.
    private static string YouSent(JsonElement value) => JsonSerializer.Serialize(value, UnleashJson.Options);
}

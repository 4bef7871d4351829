using System.Net.Http.Headers;
using System.Text.Json;

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

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, UnleashErrors.BodyParser(StatusCodes.Status413PayloadTooLarge, "request entity too large"));
        }

        // Express's body parser reads an empty body as {}: the schema then reports what is missing.
        string? parseError = null;
        using var document = bytes.Length == 0 ? JsonDocument.Parse("{}") : TryParse(bytes, out parseError);
        if (document is null)
        {
            return (null, UnleashErrors.BodyParser(StatusCodes.Status400BadRequest, parseError!));
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

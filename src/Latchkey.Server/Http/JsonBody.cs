using System.Text.Json;

namespace Latchkey.Server.Http;

/// <summary>
/// Reads a JSON request body and turns every way it can be wrong — unreadable or too large, wrong media type, no
/// body, malformed JSON, a string that is not Unicode text, a value of the wrong type — into a
/// <see cref="BodyError"/> naming the field, so each API can answer in its own shape and nothing becomes a 500.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, BodyError? Error)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, bool allowEmpty = false)
        where T : class, new()
    {
        // Buffering lets "no body" be told apart from "bad body".
        var (bytes, readError) = await RequestBody.ReadAsync(request);
        if (readError is not null)
        {
            return (null, readError);
        }

        if (bytes!.Length == 0)
        {
            return allowEmpty ? (new T(), null) : (null, new BodyError(BodyErrorKind.Missing, "body", "A JSON request body is required."));
        }

        if (!request.HasJsonContentType())
        {
            return (null, new BodyError(BodyErrorKind.UnsupportedMediaType, "body", $"Content-Type must be application/json (got '{request.ContentType}')."));
        }

        if (!JsonText.IsValidText(bytes, out var textField))
        {
            var field = textField ?? "body";
            return (null, new BodyError(BodyErrorKind.Invalid, field, $"{field} holds a string that is not valid Unicode text (invalid UTF-8 or an unpaired surrogate escape)."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, options);
            return value is null
                ? (null, new BodyError(BodyErrorKind.Invalid, "body", "The request body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            // A syntax error (the reader's own exception inside) is the body's fault wherever it stops, e.g. right
            // after "name": in a cut-off body; only a value of the wrong type belongs to its field.
            var field = exception.InnerException is JsonException ? null : FieldOf(exception.Path);
            return field is null
                ? (null, new BodyError(BodyErrorKind.Malformed, "body", "The request body is not a valid JSON object."))
                : (null, new BodyError(BodyErrorKind.Invalid, field, $"{field} has the wrong type or format."));
        }
    }

    /// <summary>
    /// A PATCH field that may be a string (set it), null (clear it) or omitted (leave it); false for any other JSON
    /// value, a type error.
    /// </summary>
    public static bool TryReadOptionalString(JsonElement element, out bool set, out string? value)
    {
        set = element.ValueKind is JsonValueKind.Null or JsonValueKind.String;
        value = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return set || element.ValueKind == JsonValueKind.Undefined;
    }

    // "$.scopes[0]" → "scopes"; "$" or null (a syntax error before any property) → null.
    private static string? FieldOf(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal) && !path.StartsWith("$['", StringComparison.Ordinal))
        {
            return null;
        }

        var name = path.StartsWith("$['", StringComparison.Ordinal) ? path[3..path.IndexOf('\'', 3)] : path[2..];
        var end = name.IndexOfAny(['.', '[']);
        return end < 0 ? name : name[..end];
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Latchkey.Server.Http;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>
/// Reads a request's input as Laravel's <c>$request-&gt;input()</c> sees it: the JSON body when the content type
/// says JSON, the fields of a form (with PHP's <c>abilities[]=…</c> arrays), and nothing otherwise. A body that is
/// not a JSON object is no input at all (PHP's <c>json_decode</c> gives null), so it fails validation with 422
/// rather than being a 400, exactly as a Laravel application answers. So is JSON holding a string that is not
/// Unicode text (PHP's <c>json_decode</c> fails on invalid UTF-8 and on an unpaired <c>\ud800</c>), and a form field
/// that is not UTF-8 text. A body that could not be received whole (too large, broken framing, a truncated multipart
/// form) is returned as an error, for the endpoint to answer 413 or 400 as Laravel's middleware would.
/// </summary>
internal static class LaravelInput
{
    public static async Task<(JsonObject Input, BodyError? Unreceived)> ReadAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request);
        }

        var (body, error) = await JsonBody.ReadAsync<LaravelJsonBody>(request, SanctumJson.Options, allowEmpty: true);
        return error switch
        {
            null => (body!.Fields ?? [], null),
            { Kind: BodyErrorKind.TooLarge or BodyErrorKind.Unreadable } => ([], error),
            _ => ([], null),
        };
    }

    /// <summary>
    /// A string as Laravel's global TrimStrings and ConvertEmptyStringsToNull middleware leave it: trimmed, and
    /// <c>null</c> when nothing is left. Other JSON values are returned as they are.
    /// </summary>
    public static JsonNode? Normalize(JsonNode? node)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            var trimmed = text.Trim();
            return trimmed.Length == 0 ? null : JsonValue.Create(trimmed);
        }

        return node;
    }

    private static async Task<(JsonObject Input, BodyError? Unreceived)> ReadFormAsync(HttpRequest request)
    {
        var (form, error) = await RequestBody.ReadFormAsync(request);
        if (error is not null)
        {
            // A form that arrived but is cut off or broken (a truncated multipart body) is a bad request, as the
            // issue tracker asks of every API; a field that is merely not UTF-8 text is no input, as PHP reads it.
            return ([], error.Kind is BodyErrorKind.Invalid ? null : error);
        }

        var input = new JsonObject();
        var arrays = new Dictionary<string, List<(int Order, string? Value)>>(StringComparer.Ordinal);
        foreach (var (key, values) in form!)
        {
            var bracket = key.IndexOf('[', StringComparison.Ordinal);
            if (bracket > 0 && key.EndsWith(']'))
            {
                // abilities[]=a&abilities[]=b, or abilities[0]=a&abilities[1]=b: PHP makes both an array.
                var name = key[..bracket];
                var inner = key[(bracket + 1)..^1];
                var order = int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : int.MaxValue;
                if (!arrays.TryGetValue(name, out var items))
                {
                    arrays[name] = items = [];
                }

                items.AddRange(values.Select(v => (order, v)));
            }
            else
            {
                // A repeated plain field keeps its last value, as PHP's parser does.
                input[key] = values.Count == 0 ? null : JsonValue.Create(values[^1]);
            }
        }

        foreach (var (name, items) in arrays)
        {
            input[name] = new JsonArray(items.OrderBy(i => i.Order).Select(i => (JsonNode?)JsonValue.Create(i.Value)).ToArray());
        }

        return (input, null);
    }
}

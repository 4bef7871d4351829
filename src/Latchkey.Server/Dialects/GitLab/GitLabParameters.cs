using System.Globalization;
using System.Text.Json;
using Latchkey.AspNetCore;
using Latchkey.Server.Http;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// A request's parameters the way Grape gathers them for GitLab: the query string, then a form body
/// (<c>curl --data "scopes[]=k8s_proxy"</c>, urlencoded or multipart) or a JSON body, the body winning. Typed reads
/// collect Grape's messages ("name is missing", "expires_at is invalid") so an endpoint can answer them together.
/// </summary>
internal sealed class GitLabParameters
{
    private readonly Dictionary<string, GitLabValue> _values;
    private readonly List<string> _errors = [];

    private GitLabParameters(Dictionary<string, GitLabValue> values) => _values = values;

    /// <summary>Grape's messages for every read that failed, in the order of the reads.</summary>
    public IReadOnlyList<string> Errors => _errors;

    public static async Task<(GitLabParameters? Parameters, IResult? Error)> ReadAsync(HttpRequest request)
    {
        var values = new Dictionary<string, GitLabValue>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            Add(values, key, value);
        }

        if (request.HasFormContentType)
        {
            var (form, error) = await RequestBody.ReadFormAsync(request);
            if (error is not null)
            {
                return (null, Refusal(error));
            }

            foreach (var (key, value) in form!)
            {
                Add(values, key, value);
            }
        }
        else if (request.HasJsonContentType())
        {
            var (bytes, error) = await RequestBody.ReadAsync(request);
            if (error is not null)
            {
                return (null, Refusal(error));
            }

            // GitLab's HandleMalformedStrings middleware refuses a parameter that is not UTF-8 text before Grape
            // sees it; here the check runs on the JSON before any string is taken out of it.
            if (bytes!.Length > 0 && !JsonText.IsValidText(bytes, out var field))
            {
                return (null, field is null ? MismatchedFormat() : GitLabResults.InvalidParameters([$"{field} is invalid"]));
            }

            if (bytes.Length > 0 && !TryAddJson(values, bytes))
            {
                return (null, MismatchedFormat());
            }
        }
        else if (!string.IsNullOrEmpty(request.ContentType) && HasBody(request))
        {
            return (null, GitLabResults.Error(StatusCodes.Status415UnsupportedMediaType, $"The provided content-type '{request.ContentType}' is not supported."));
        }

        return (new GitLabParameters(values), null);
    }

    // A body too large is nginx's 413; one that cannot be read or parsed is Grape's answer for a body it cannot decode.
    private static IResult Refusal(BodyError error) => error.Kind == BodyErrorKind.TooLarge
        ? GitLabResults.Message(StatusCodes.Status413PayloadTooLarge, "413 Request Entity Too Large")
        : MismatchedFormat();

    private static IResult MismatchedFormat() => GitLabResults.Error(StatusCodes.Status400BadRequest, "message body does not match declared format");

    /// <summary><c>requires :name, type: String</c>.</summary>
    public string? RequiredString(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.Kind == GitLabValueKind.Null)
        {
            _errors.Add($"{name} is missing");
            return null;
        }

        return ReadString(name, value);
    }

    /// <summary><c>optional :description, type: String</c>; absent or null is <c>null</c>.</summary>
    public string? OptionalString(string name)
        => _values.TryGetValue(name, out var value) && value.Kind != GitLabValueKind.Null ? ReadString(name, value) : null;

    /// <summary><c>requires :scopes, type: Array[String], coerce_with: CommaSeparatedToArray</c>.</summary>
    public IReadOnlyList<string>? RequiredList(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.Kind == GitLabValueKind.Null)
        {
            _errors.Add($"{name} is missing");
            return null;
        }

        switch (value.Kind)
        {
            case GitLabValueKind.List:
                return value.Items;
            case GitLabValueKind.Text:
                return value.Text!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            default:
                _errors.Add($"{name} is invalid");
                return null;
        }
    }

    /// <summary>
    /// <c>optional :expires_at, type: Date</c>: a calendar date; a date-time is cut to its date as Ruby's
    /// <c>Date.parse</c> does. Absent, null or empty is <c>null</c>.
    /// </summary>
    public DateOnly? OptionalDate(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.Kind == GitLabValueKind.Null || value is { Kind: GitLabValueKind.Text, Text: "" })
        {
            return null;
        }

        if (value.Kind == GitLabValueKind.Text && TryParseDate(value.Text!, out var date))
        {
            return date;
        }

        _errors.Add($"{name} is invalid");
        return null;
    }

    private string? ReadString(string name, GitLabValue value)
    {
        if (value.Kind == GitLabValueKind.Text)
        {
            return value.Text;
        }

        _errors.Add($"{name} is invalid");
        return null;
    }

    private static bool TryParseDate(string text, out DateOnly date)
    {
        date = default;
        var trimmed = text.Trim();
        return trimmed.Length >= 10
            && (trimmed.Length == 10 || trimmed[10] is 'T' or 't' or ' ')
            && DateOnly.TryParseExact(trimmed.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static bool HasBody(HttpRequest request)
        => request.ContentLength > 0 || request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase);

    // "scopes[]" collects into a list; any other key keeps its last value, as Rack does.
    private static void Add(Dictionary<string, GitLabValue> values, string key, Microsoft.Extensions.Primitives.StringValues value)
    {
        if (key == LatchkeyDefaults.QueryParameterName)
        {
            return;
        }

        if (key.EndsWith("[]", StringComparison.Ordinal) && key.Length > 2)
        {
            var name = key[..^2];
            var items = values.TryGetValue(name, out var existing) && existing.Kind == GitLabValueKind.List ? existing.Items!.ToList() : [];
            foreach (var item in value)
            {
                if (item is not null)
                {
                    items.Add(item);
                }
            }

            values[name] = new GitLabValue(GitLabValueKind.List, Items: items);
            return;
        }

        values[key] = new GitLabValue(GitLabValueKind.Text, Text: value.Count == 0 ? string.Empty : value[^1] ?? string.Empty);
    }

    private static bool TryAddJson(Dictionary<string, GitLabValue> values, ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = FromJson(property.Value);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Grape coerces numbers and booleans to strings where a String is declared; objects fit nothing of ours.
    private static GitLabValue FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return new GitLabValue(GitLabValueKind.Null);
            case JsonValueKind.Array:
                var items = new List<string>();
                foreach (var item in element.EnumerateArray())
                {
                    if (ScalarText(item) is not { } text)
                    {
                        return new GitLabValue(GitLabValueKind.Unusable);
                    }

                    items.Add(text);
                }

                return new GitLabValue(GitLabValueKind.List, Items: items);
            default:
                return ScalarText(element) is { } scalar ? new GitLabValue(GitLabValueKind.Text, Text: scalar) : new GitLabValue(GitLabValueKind.Unusable);
        }
    }

    private static string? ScalarText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}

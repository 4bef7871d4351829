using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// Checks a JSON value against a schema of the OpenAPI document: <c>$ref</c>, <c>oneOf</c>/<c>anyOf</c>, the
/// primitive types (including 3.1's type arrays with <c>"null"</c>), required properties, array items. Not a full
/// validator: enough to catch a body whose shape the document does not describe.
/// </summary>
internal sealed class OpenApiSchemaChecker(JsonObject document)
{
    public IReadOnlyList<string> Check(JsonNode? value, JsonNode? schema, string path = "$")
    {
        var problems = new List<string>();
        Check(value, schema, path, problems, depth: 0);
        return problems;
    }

    private void Check(JsonNode? value, JsonNode? schemaNode, string path, List<string> problems, int depth)
    {
        if (schemaNode is not JsonObject schema || depth > 20)
        {
            return;
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Check(value, Resolve(reference), path, problems, depth + 1);
            return;
        }

        foreach (var combinator in new[] { "oneOf", "anyOf" })
        {
            if (schema[combinator] is JsonArray alternatives)
            {
                var failures = alternatives.Select(a => Check(value, a, path)).ToList();
                if (failures.All(f => f.Count > 0))
                {
                    problems.Add($"{path}: matches none of {combinator}: {string.Join(" | ", failures.Select(f => string.Join("; ", f)))}");
                }

                return;
            }
        }

        var types = schema["type"] switch
        {
            JsonValue single => [single.GetValue<string>()],
            JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(),
            _ => new List<string>(),
        };
        if (types.Count > 0 && !types.Contains(KindOf(value)) && !(KindOf(value) == "integer" && types.Contains("number")))
        {
            problems.Add($"{path}: is {KindOf(value)}, the document says {string.Join(" or ", types)}");
            return;
        }

        if (value is JsonObject obj)
        {
            foreach (var required in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
            {
                if (!obj.ContainsKey(required))
                {
                    problems.Add($"{path}: lacks the required property '{required}'");
                }
            }

            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (name, propertySchema) in properties)
                {
                    if (obj.TryGetPropertyValue(name, out var propertyValue))
                    {
                        Check(propertyValue, propertySchema, $"{path}.{name}", problems, depth + 1);
                    }
                }
            }
        }
        else if (value is JsonArray array && schema["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{path}[{i}]", problems, depth + 1);
            }
        }
    }

    private JsonNode? Resolve(string reference)
    {
        const string Prefix = "#/components/schemas/";
        Assert.StartsWith(Prefix, reference);
        var schema = document["components"]?["schemas"]?[reference[Prefix.Length..]];
        Assert.True(schema is not null, $"the document has no schema {reference}");
        return schema;
    }

    private static string KindOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => value.ToJsonString().Contains('.') || value.ToJsonString().Contains('e') ? "number" : "integer",
        _ => "unknown",
    };
}

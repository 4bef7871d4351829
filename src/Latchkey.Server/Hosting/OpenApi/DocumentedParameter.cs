using Microsoft.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// A query or path parameter that a handler reads by hand (to answer bad values in its API's own error shape), so
/// the framework cannot see it: described here for the document only. Parsing stays where it is.
/// </summary>
internal sealed record DocumentedParameter(string Name, JsonSchemaType Type, string Description, ParameterLocation In = ParameterLocation.Query)
{
    public string? Format { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public bool Required { get; init; }

    public OpenApiParameter ToOpenApi()
    {
        var schema = new OpenApiSchema { Type = Type, Format = Format };
        if (Values is not null)
        {
            schema.Enum = Values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)!).ToList();
        }

        return new OpenApiParameter { Name = Name, In = In, Description = Description, Required = Required || In == ParameterLocation.Path, Schema = schema };
    }
}

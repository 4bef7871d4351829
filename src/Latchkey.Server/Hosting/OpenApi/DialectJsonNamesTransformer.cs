using System.Text.Json;
using Latchkey.Server.Dialects.SailPoint;
using Latchkey.Server.Dialects.Sanctum;
using Latchkey.Server.Dialects.Unleash;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// The document is generated with the native API's JSON options (snake_case), but SailPoint and Unleash write
/// camelCase with their own options. This renames the members of their types' schemas to what is on the wire,
/// by asking each dialect's own options how they name each member.
/// </summary>
internal sealed class DialectJsonNamesTransformer : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<string, JsonSerializerOptions> OptionsByNamespace = new(StringComparer.Ordinal)
    {
        [typeof(SailPointJson).Namespace!] = Resolving(SailPointJson.Options),
        [typeof(UnleashJson).Namespace!] = Resolving(UnleashJson.Options),
        [typeof(SanctumJson).Namespace!] = Resolving(SanctumJson.Options),
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is not null
            || schema.Properties is not { Count: > 0 } properties
            || type.Namespace is null
            || !OptionsByNamespace.TryGetValue(type.Namespace, out var dialect))
        {
            return Task.CompletedTask;
        }

        var wireNames = dialect.GetTypeInfo(type).Properties
            .Where(p => p.AttributeProvider is System.Reflection.MemberInfo)
            .ToDictionary(p => ((System.Reflection.MemberInfo)p.AttributeProvider!).Name, p => p.Name, StringComparer.Ordinal);
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (property.AttributeProvider is not System.Reflection.MemberInfo member
                || !wireNames.TryGetValue(member.Name, out var wireName)
                || wireName == property.Name
                || !properties.Remove(property.Name, out var propertySchema))
            {
                continue;
            }

            properties[wireName] = propertySchema;
            if (schema.Required?.Remove(property.Name) == true)
            {
                schema.Required.Add(wireName);
            }
        }

        return Task.CompletedTask;
    }

    // Options that are never used directly by the serializer have no resolver yet; a copy with the default one
    // names members exactly as the serializer will once it fills the resolver in.
    private static JsonSerializerOptions Resolving(JsonSerializerOptions options)
        => options.TypeInfoResolver is not null ? options : new JsonSerializerOptions(options) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
}

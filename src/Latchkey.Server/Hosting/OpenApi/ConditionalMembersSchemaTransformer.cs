using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// A member written only under a condition (<c>[JsonIgnore(Condition = WhenWritingNull)]</c>, e.g. GitLab's
/// <c>email</c> and <c>is_admin</c>, shown only to administrators) is not required, even when it is a constructor
/// parameter, which the generator would otherwise mark required.
/// </summary>
internal sealed class ConditionalMembersSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is null && schema.Required is { Count: > 0 } required)
        {
            foreach (var property in context.JsonTypeInfo.Properties.Where(p => p.ShouldSerialize is not null))
            {
                required.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// Every problem the server writes goes through <c>AddProblemDetails</c>, which always fills in the title and the
/// status (and a validation problem always has its errors); the document says so, so clients may rely on them.
/// </summary>
internal sealed class ProblemDetailsSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(Microsoft.OpenApi.OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not null || !typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            return Task.CompletedTask;
        }

        schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
        schema.Required.Add("title");
        schema.Required.Add("status");
        if (typeof(HttpValidationProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            schema.Required.Add("errors");
        }

        return Task.CompletedTask;
    }
}

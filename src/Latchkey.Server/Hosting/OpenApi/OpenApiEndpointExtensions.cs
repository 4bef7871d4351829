using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// Metadata for what the framework cannot infer from handlers that read requests by hand. These work on route
/// groups as well as on single endpoints, so an API can declare its shared answers (401, 403, 429) once.
/// </summary>
internal static class OpenApiEndpointExtensions
{
    /// <summary>Documents answers with <paramref name="status"/> and a body of <typeparamref name="T"/> (<c>Produces</c>, for groups too).</summary>
    public static TBuilder Answers<T, TBuilder>(this TBuilder builder, int status, string contentType = "application/json")
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(T), [contentType]));

    /// <summary>Documents an answer with no body.</summary>
    public static TBuilder AnswersEmpty<TBuilder>(this TBuilder builder, int status)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(void), []));

    /// <summary>Documents answers with <paramref name="status"/> whose body is any one of <paramref name="bodies"/> (<c>oneOf</c>).</summary>
    public static TBuilder AnswersOneOf<TBuilder>(this TBuilder builder, int status, params Type[] bodies)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = new OpenApiSchema { OneOf = [] };
            foreach (var body in bodies)
            {
                schema.OneOf.Add(await context.GetOrCreateSchemaAsync(body, null, cancellationToken));
            }

            operation.Responses ??= [];
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = ReasonPhrase(status),
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>
    /// Documents the request body a handler reads by hand. Not <c>Accepts</c>: its metadata makes routing refuse
    /// other content types before the handler runs (a 415 or a fallback's 404 in the host's shape), and each API
    /// answers those itself, in its own error shape.
    /// </summary>
    public static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder builder, params string[] contentTypes)
        => builder.DocumentsBody<T>(isOptional: false, contentTypes);

    public static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder builder, bool isOptional, params string[] contentTypes)
        => builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !isOptional,
                Content = contentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
            };
        });

    /// <summary>Documents parameters the handler reads by hand; a path parameter already inferred gets the description.</summary>
    public static TBuilder WithParameters<TBuilder>(this TBuilder builder, params DocumentedParameter[] parameters)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters)
            {
                var existing = operation.Parameters.FirstOrDefault(p => p.Name == parameter.Name && p.In == parameter.In);
                if (existing is not null)
                {
                    operation.Parameters.Remove(existing);
                }

                var described = parameter.ToOpenApi();
                if (existing?.Schema is not null)
                {
                    described.Schema = existing.Schema;
                }

                operation.Parameters.Add(described);
            }

            return Task.CompletedTask;
        });

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}

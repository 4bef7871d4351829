namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>The OpenAPI document behind <c>/docs</c>: what the framework infers, plus what it cannot see.</summary>
internal static class LatchkeyOpenApiExtensions
{
    public static IServiceCollection AddLatchkeyOpenApi(this IServiceCollection services)
        => services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<SecuritySchemesTransformer>();
            options.AddOperationTransformer<SecurityRequirementTransformer>();
            options.AddSchemaTransformer<ConditionalMembersSchemaTransformer>();
            options.AddSchemaTransformer<DialectJsonNamesTransformer>();
            options.AddSchemaTransformer<ProblemDetailsSchemaTransformer>();
        });
}

using Latchkey.AspNetCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// Marks every operation that needs a credential with the accepted schemes (any one of them will do), so Swagger UI
/// sends the token it was given; anonymous operations (sign-in, <c>/oauth/token</c>) carry none.
/// </summary>
internal sealed class SecurityRequirementTransformer(IOptionsMonitor<LatchkeyAuthenticationOptions> options) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<AuthorizationPolicy>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Security ??= [];
        foreach (var (name, _) in SecuritySchemes.Accepted(options.Get(LatchkeyDefaults.AuthenticationScheme)))
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, context.Document)] = [] });
        }

        var requirements = metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements).ToList();
        var scopes = requirements.OfType<ScopeRequirement>().Select(r => $"`{r.Scope}`").ToList();
        if (scopes.Count > 0)
        {
            var needs = $"Needs a token with the {string.Join(" and ", scopes)} scope (or one that implies it).";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? needs : $"{operation.Description}\n\n{needs}";
        }

        if (requirements.OfType<AdministratorRequirement>().Any())
        {
            operation.Description = $"{operation.Description}\n\nAdministrators only.".TrimStart('\n');
        }

        return Task.CompletedTask;
    }
}

using Latchkey.AspNetCore;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// Declares the ways a token can be sent, so Swagger UI shows its Authorize button. Only the ways this server's
/// <see cref="LatchkeyAuthenticationOptions"/> accept are declared: an operator who switches one off sees it go.
/// </summary>
internal sealed class SecuritySchemesTransformer(IOptionsMonitor<LatchkeyAuthenticationOptions> options) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        foreach (var (name, scheme) in SecuritySchemes.Accepted(options.Get(LatchkeyDefaults.AuthenticationScheme)))
        {
            document.Components.SecuritySchemes[name] = scheme;
        }

        return Task.CompletedTask;
    }
}

using Latchkey.AspNetCore;
using Microsoft.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>The credentials the authentication handler reads, as OpenAPI security schemes, in the handler's order.</summary>
internal static class SecuritySchemes
{
    public const string Bearer = "Bearer";
    public const string PrivateTokenHeader = "PrivateToken";
    public const string PrivateTokenQuery = "PrivateTokenQuery";
    public const string Basic = "Basic";

    public static IEnumerable<(string Name, OpenApiSecurityScheme Scheme)> Accepted(LatchkeyAuthenticationOptions options)
    {
        yield return (Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A personal access token or a session token (from POST /api/session): 'Authorization: Bearer <token>'.",
        });

        if (options.AllowPrivateTokenHeader)
        {
            yield return (PrivateTokenHeader, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = LatchkeyDefaults.PrivateTokenHeaderName,
                Description = "GitLab's header: 'PRIVATE-TOKEN: <token>'.",
            });
        }

        if (options.AllowQueryString)
        {
            yield return (PrivateTokenQuery, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = LatchkeyDefaults.QueryParameterName,
                Description = "GitLab's query parameter. URLs end up in logs and histories; prefer a header.",
            });
        }

        if (options.AllowBasic)
        {
            yield return (Basic, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "HTTP Basic with any username and the token as the password (as Git clients send it).",
            });
        }
    }
}

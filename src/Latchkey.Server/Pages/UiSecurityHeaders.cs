using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages;

/// <summary>
/// Headers on every response of the web UI: a Content-Security-Policy that allows no inline script and no framing,
/// no MIME sniffing, no referrer leaving the site, and <c>no-store</c> (the pages show secrets and personal data).
/// Static files get the first three too. The API, Swagger UI and the rest keep their own.
/// </summary>
internal static class UiSecurityHeaders
{
    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    /// <summary>After routing (the endpoint says whether this is a page), before authentication (its redirects count too).</summary>
    public static IApplicationBuilder UseUiSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var metadata = context.GetEndpoint()?.Metadata;
        var isPage = metadata?.GetMetadata<PageActionDescriptor>() is not null;
        if (isPage || IsStaticAsset(context.Request.Path))
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                if (isPage)
                {
                    // Older browsers' word for frame-ancestors 'none' (antiforgery would otherwise send SAMEORIGIN).
                    headers.XFrameOptions = "DENY";
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    private static bool IsStaticAsset(PathString path)
        => path.StartsWithSegments("/css", StringComparison.Ordinal) || path.StartsWithSegments("/js", StringComparison.Ordinal);
}

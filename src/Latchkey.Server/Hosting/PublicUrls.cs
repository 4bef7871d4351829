using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Hosting;

/// <summary>
/// Absolute URLs of this server's own resources, for links in answers. Built from <c>Latchkey:Server:PublicBaseUrl</c>
/// when it is set; otherwise from the request's scheme, <c>Host</c> header and path base, which a client chooses
/// (restrict them with <c>AllowedHosts</c>, or set the public URL).
/// </summary>
internal static class PublicUrls
{
    public static string For(HttpRequest request, PathString path, QueryString query = default)
    {
        var configured = request.HttpContext.RequestServices.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.PublicBaseUri;
        if (configured is null)
        {
            return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, path, query);
        }

        var host = HostString.FromUriComponent(configured.IsDefaultPort ? configured.Host : configured.Authority);
        var pathBase = PathString.FromUriComponent(configured.AbsolutePath.TrimEnd('/'));
        return UriHelper.BuildAbsolute(configured.Scheme, host, pathBase, path, query);
    }
}

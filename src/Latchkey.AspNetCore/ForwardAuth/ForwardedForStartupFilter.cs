using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// Makes <c>X-Original-For</c> mean "the forwarded-headers middleware applied <c>X-Forwarded-For</c>": that
/// middleware writes it (the connection's own address) only when the connection came from a trusted proxy, but a
/// client can send it too. Removed first thing in the pipeline, before <c>UseForwardedHeaders</c> runs, so what
/// forward-auth finds later was written by the middleware and the address it left is the end client's.
/// </summary>
internal sealed class ForwardedForStartupFilter : IStartupFilter
{
    private readonly string _originalFor;

    public ForwardedForStartupFilter(IOptions<ForwardedHeadersOptions> options) => _originalFor = options.Value.OriginalForHeaderName;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Request.Headers.Remove(_originalFor);
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>True when the forwarded-headers middleware replaced the connection's address with the one a trusted proxy forwarded.</summary>
    public static bool Vouched(Microsoft.AspNetCore.Http.HttpRequest request, string originalForHeader)
        => request.Headers.ContainsKey(originalForHeader);
}

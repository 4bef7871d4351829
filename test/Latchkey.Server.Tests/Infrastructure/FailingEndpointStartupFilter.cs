using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// Adds <see cref="Path"/>, a request that fails with an unhandled exception, at the end of the server's own
/// pipeline: behind its exception handler and request logging, where a real endpoint's bug would be. The server
/// itself has no such route.
/// </summary>
internal sealed class FailingEndpointStartupFilter : IStartupFilter
{
    public const string Path = "/test/unhandled-exception";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use((context, nextMiddleware) => context.Request.Path == Path
            ? throw new InvalidOperationException("A test endpoint failed on purpose.")
            : nextMiddleware(context));
    };
}

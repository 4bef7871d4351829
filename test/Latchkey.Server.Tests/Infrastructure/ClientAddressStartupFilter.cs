using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// The in-memory test server has no network, so every request would come from no address at all. This stands in
/// for the connection: a request comes from <see cref="DefaultAddress"/>, or from the address in
/// <see cref="HeaderName"/> so a test can play several clients (sign-in throttling, last-used addresses, audit).
/// </summary>
internal sealed class ClientAddressStartupFilter : IStartupFilter
{
    public const string HeaderName = "X-Test-Client-Address";
    public const string DefaultAddress = "192.0.2.10";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Connection.RemoteIpAddress is null)
            {
                var header = context.Request.Headers[HeaderName].ToString();
                context.Connection.RemoteIpAddress = IPAddress.Parse(header.Length > 0 ? header : DefaultAddress);
                context.Request.Headers.Remove(HeaderName);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}

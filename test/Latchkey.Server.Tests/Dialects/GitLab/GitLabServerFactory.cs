using Latchkey.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>
/// The in-memory server with client addresses: requests come from <see cref="ClientAddressStartupFilter.DefaultAddress"/>
/// or the address a test names, so <c>last_used_ips</c> can be asserted.
/// </summary>
public sealed class GitLabServerFactory : LatchkeyServerFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressStartupFilter>());
    }
}

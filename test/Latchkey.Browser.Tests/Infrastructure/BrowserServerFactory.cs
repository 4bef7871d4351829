using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Browser.Tests.Infrastructure;

/// <summary>
/// The real server on Kestrel at a free loopback port (a browser needs a socket), on its own SQLite file in a
/// temporary folder, configured through configuration as an operator would, on a clock the tests can move.
/// </summary>
public sealed class BrowserServerFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct-horse-battery-staple";

    public BrowserServerFactory()
    {
        DataDirectory = Directory.CreateTempSubdirectory("latchkey-browser-tests-").FullName;
        UseKestrel(0);
        StartServer();
        BaseAddress = ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseAddress { get; }

    public string DataDirectory { get; }

    public AdjustableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Latchkey:DataDirectory", DataDirectory);
        builder.UseSetting("ConnectionStrings:Latchkey", $"Data Source={Path.Combine(DataDirectory, "latchkey.db")}");
        builder.UseSetting("Latchkey:Hashing:KeyFile", Path.Combine(DataDirectory, "hashing-keys.json"));
        builder.UseSetting("LATCHKEY_ADMIN_PASSWORD", AdminPassword);

        // The lowest cost the server accepts: every test signs a new user in.
        builder.UseSetting("Latchkey:Passwords:Iterations", "1000");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

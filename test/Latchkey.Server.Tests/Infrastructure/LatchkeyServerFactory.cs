using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// The real server on its own SQLite file in a temporary folder, configured the way an operator would (through
/// configuration, not test-only code paths). Every log line is captured so tests can assert what reaches logs.
/// </summary>
public class LatchkeyServerFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct-horse-battery-staple";

    /// <summary>
    /// PBKDF2 iterations for the test servers (<c>Latchkey:Passwords:Iterations</c>): the lowest the server accepts,
    /// since the suite creates and signs in hundreds of users and the default cost is meant to be slow.
    /// </summary>
    public const string PasswordIterations = "1000";

    private readonly Lazy<Task<string>> _adminSession;

    public LatchkeyServerFactory()
    {
        DataDirectory = Directory.CreateTempSubdirectory("latchkey-tests-").FullName;
        _adminSession = new Lazy<Task<string>>(() => CreateClient().SignInAsync());
    }

    public string DataDirectory { get; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>Extra settings a test class wants (e.g. a token policy), applied over the defaults below.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Latchkey:DataDirectory", DataDirectory);
        builder.UseSetting("ConnectionStrings:Latchkey", $"Data Source={Path.Combine(DataDirectory, "latchkey.db")}");
        builder.UseSetting("Latchkey:Hashing:KeyFile", Path.Combine(DataDirectory, "hashing-keys.json"));
        builder.UseSetting("LATCHKEY_ADMIN_PASSWORD", AdminPassword);
        builder.UseSetting("Latchkey:Passwords:Iterations", PasswordIterations);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ClientAddressStartupFilter>());
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
        });
    }

    /// <summary>A session of the administrator, signed in once per factory (don't end it; sign in afresh for that).</summary>
    public Task<string> AdminSessionAsync() => _adminSession.Value;

    /// <summary>A client that sends the administrator's shared session as a bearer token.</summary>
    public async Task<HttpClient> CreateAdminClientAsync() => CreateClient().WithBearer(await AdminSessionAsync());

    /// <summary>A client that sends <paramref name="token"/> as a bearer token.</summary>
    public HttpClient CreateClient(string token) => CreateClient().WithBearer(token);

    /// <summary>The server's own services (engine, stores) for arranging state a test cannot reach over HTTP.</summary>
    public T GetService<T>()
        where T : notnull
        => Services.GetRequiredService<T>();

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

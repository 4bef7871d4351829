using Latchkey.AspNetCore;
using Latchkey.Storage.Postgres;
using Latchkey.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Benchmarks;

/// <summary>
/// The engine and the store composed exactly as a host composes them (<c>AddLatchkey()</c> and
/// <c>AddLatchkeySqliteStore()</c> or <c>AddLatchkeyPostgresStore()</c>, configured through configuration), over one
/// data folder (its hashing key file, and its SQLite file unless a PostgreSQL connection string is given), without a
/// web server.
/// </summary>
internal sealed class BenchHost : IDisposable
{
    private BenchHost(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public TokenValidator Validator => Services.GetRequiredService<TokenValidator>();

    public TokenCache Cache => Services.GetRequiredService<TokenCache>();

    /// <summary>The database and hashing key file in <paramref name="dataDirectory"/>, the same names the server uses.</summary>
    public static BenchHost Open(string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null, string? postgres = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Latchkey:Hashing:KeyFile"] = KeyFile(dataDirectory),
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddLatchkey();
        if (postgres is null)
        {
            services.AddLatchkeySqliteStore(ConnectionString(dataDirectory));
        }
        else
        {
            services.AddLatchkeyPostgresStore(postgres);
        }

        return new BenchHost(services.BuildServiceProvider());
    }

    public static string DatabaseFile(string dataDirectory) => Path.Combine(dataDirectory, "latchkey.db");

    public static string KeyFile(string dataDirectory) => Path.Combine(dataDirectory, "hashing-keys.json");

    public static string ConnectionString(string dataDirectory) => $"Data Source={DatabaseFile(dataDirectory)}";

    public void Dispose()
    {
        Services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

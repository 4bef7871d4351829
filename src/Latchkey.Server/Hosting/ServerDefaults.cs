using Microsoft.Data.Sqlite;

namespace Latchkey.Server.Hosting;

/// <summary>
/// Settings the server runs with when nothing else says otherwise: loopback on port 5000 and everything in the data
/// directory. They sit below appsettings, environment variables and the command line, so <c>--urls</c>,
/// <c>ConnectionStrings__Latchkey</c> and the rest override them as in any ASP.NET Core app.
/// </summary>
internal static class ServerDefaults
{
    public const string ConnectionStringName = "Latchkey";
    public const string DataDirectoryKey = "Latchkey:DataDirectory";
    public const string KeyFileKey = "Latchkey:Hashing:KeyFile";
    public const string StorageProviderKey = "Latchkey:Storage:Provider";
    public const string SqliteProvider = "Sqlite";
    public const string PostgresProvider = "Postgres";

    /// <summary>Where data lives when <see cref="DataDirectoryKey"/> is not set, relative to the directory the server is started from.</summary>
    public const string DataDirectory = "data";

    /// <summary>Where ASP.NET Core Data Protection keeps its keys (antiforgery, encrypted secrets): <c>&lt;data&gt;/data-protection-keys</c>.</summary>
    public static string DataProtectionKeysFolder(IConfiguration configuration)
        => Path.Combine(Path.GetFullPath(configuration[DataDirectoryKey] ?? DataDirectory), "data-protection-keys");

    /// <summary>Whether the store is PostgreSQL (<see cref="StorageProviderKey"/>, any case) rather than the SQLite default.</summary>
    public static bool UsesPostgres(IConfiguration configuration)
        => string.Equals(configuration[StorageProviderKey], PostgresProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The hashing key file the engine reads, or <c>null</c> when the keys are given in configuration
    /// (<c>Latchkey:Hashing:Keys</c>), which then takes the file's place.
    /// </summary>
    public static string? HashingKeyFile(IConfiguration configuration)
        => configuration.GetSection("Latchkey:Hashing:Keys").GetChildren().Any() ? null : configuration[KeyFileKey];

    /// <summary>The SQLite database file in <paramref name="dataDirectory"/> (an absolute path).</summary>
    public static string SqliteDatabaseFile(string dataDirectory) => Path.Combine(dataDirectory, "latchkey.db");

    /// <summary>The SQLite database in <paramref name="dataDirectory"/> (an absolute path): the default connection string.</summary>
    public static string SqliteConnectionString(string dataDirectory)
        => new SqliteConnectionStringBuilder { DataSource = SqliteDatabaseFile(dataDirectory) }.ToString();

    /// <summary>
    /// Puts the defaults underneath every other configuration source. The data directory is made absolute here,
    /// once, so the database, the key file and the first log line all name the same place.
    /// </summary>
    public static void AddTo(ConfigurationManager configuration)
    {
        var configured = configuration[DataDirectoryKey];
        var dataDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? DataDirectory : configured);
        var values = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5000",
            [DataDirectoryKey] = dataDirectory,
            [$"ConnectionStrings:{ConnectionStringName}"] = SqliteConnectionString(dataDirectory),
            [KeyFileKey] = Path.Combine(dataDirectory, "hashing-keys.json"),
            [StorageProviderKey] = SqliteProvider,
        };
        var sources = (IList<IConfigurationSource>)((IConfigurationBuilder)configuration).Sources;
        sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
    }
}

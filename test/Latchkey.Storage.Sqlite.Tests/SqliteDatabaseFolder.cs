using System.Collections.Concurrent;
using Latchkey.Storage.Specification;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Latchkey.Storage.Sqlite.Tests;

/// <summary>
/// A temporary folder per test class holding a real SQLite file per test, deleted when the class is done.
/// Files rather than in-memory databases, so WAL, locking between connections and durability settings are real.
/// </summary>
public sealed class SqliteDatabaseFolder : IDisposable
{
    private readonly ConcurrentBag<string> _connectionStrings = [];

    public SqliteDatabaseFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "latchkey-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A connection string for a database file that does not exist yet.</summary>
    public string NewConnectionString(string relativeFile = "")
    {
        var file = System.IO.Path.Combine(Path, relativeFile.Length > 0 ? relativeFile : $"{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
        _connectionStrings.Add(connectionString);
        return connectionString;
    }

    internal static SqliteConnectionFactory Connections(string connectionString)
        => new(Options.Create(new SqliteStoreOptions { ConnectionString = connectionString }));

    internal static SqliteStoreMigrator Migrator(SqliteConnectionFactory connections)
        => new(connections, TimeProvider.System, NullLogger<SqliteStoreMigrator>.Instance);

    public static StoreUnderTest Stores(string connectionString)
    {
        var connections = Connections(connectionString);
        return new StoreUnderTest(
            new SqliteTokenStore(connections),
            new SqliteUserStore(connections),
            new SqliteAuditStore(connections),
            new SqliteStoreHealth(connections),
            Migrator(connections))
        {
            HashingKeys = new SqliteHashingKeyStore(connections),
        };
    }

    public async Task<StoreUnderTest> CreateStoresAsync()
    {
        var stores = Stores(NewConnectionString());
        await stores.Migrator.MigrateAsync(CancellationToken.None);
        return stores;
    }

    public void Dispose()
    {
        // Pooled connections keep the files open; close them before deleting.
        foreach (var connectionString in _connectionStrings)
        {
            using var connection = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test run over.
        }
    }
}

using System.Collections.Concurrent;
using Dapper;
using Latchkey.Storage.Specification;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Latchkey.Storage.Postgres.Tests;

/// <summary>
/// A database per test class on the run's server (<see cref="PostgresCluster"/>), dropped when the class is done.
/// Each fresh store the specification asks for is a schema of its own in it: far cheaper than a database, and as
/// separate (the connection string's search path picks it).
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly ConcurrentBag<PostgresConnectionFactory> _factories = [];
    private PostgresCluster _cluster = null!;
    private int _schemas;

    /// <summary>The database's connection string, without a search path.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.GetAsync();
        ConnectionString = new NpgsqlConnectionStringBuilder(await _cluster.CreateDatabaseAsync("latchkey_test"))
        {

            // Every store has its own pool and the tests never dispose one: idle connections close within seconds.
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await _cluster.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>A connection string for a new, empty schema of this database.</summary>
    public async Task<string> NewSchemaAsync()
    {
        var schema = $"store_{Interlocked.Increment(ref _schemas)}";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.ExecuteAsync($"CREATE SCHEMA {schema}");
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>A connection factory of its own, as a separate node would have.</summary>
    internal PostgresConnectionFactory Connections(string connectionString)
    {
        var factory = new PostgresConnectionFactory(Options.Create(new PostgresStoreOptions { ConnectionString = connectionString }));
        _factories.Add(factory);
        return factory;
    }

    internal static PostgresStoreMigrator Migrator(PostgresConnectionFactory connections)
        => new(connections, TimeProvider.System, NullLogger<PostgresStoreMigrator>.Instance);

    public StoreUnderTest Stores(string connectionString)
    {
        var connections = Connections(connectionString);
        return new StoreUnderTest(
            new PostgresTokenStore(connections),
            new PostgresUserStore(connections),
            new PostgresAuditStore(connections),
            new PostgresStoreHealth(connections),
            Migrator(connections))
        {
            HashingKeys = new PostgresHashingKeyStore(connections),
        };
    }

    public async Task<StoreUnderTest> CreateStoresAsync()
    {
        var stores = Stores(await NewSchemaAsync());
        await stores.Migrator.MigrateAsync(CancellationToken.None);
        return stores;
    }
}

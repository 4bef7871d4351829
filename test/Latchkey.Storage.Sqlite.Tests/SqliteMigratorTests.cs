using Dapper;
using Latchkey.Storage.Specification;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite.Tests;

/// <summary>The shared migrator specification, plus how the SQLite runner records and guards versions.</summary>
public sealed class SqliteMigratorTests(SqliteDatabaseFolder folder) : MigratorSpecification, IClassFixture<SqliteDatabaseFolder>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => folder.CreateStoresAsync();

    [Fact]
    public async Task Every_embedded_migration_is_recorded_once_with_its_name()
    {
        var connectionString = folder.NewConnectionString();
        var migrator = SqliteDatabaseFolder.Migrator(SqliteDatabaseFolder.Connections(connectionString));

        await migrator.MigrateAsync(CancellationToken.None);
        await migrator.MigrateAsync(CancellationToken.None);

        var applied = await HistoryAsync(connectionString);
        Assert.Equal(SqliteStoreMigrator.Migrations.All.Select(migration => (migration.Version, migration.Name)), applied);
        Assert.Equal((1, "initial"), applied[0]);
    }

    [Fact]
    public async Task Two_processes_migrating_a_new_database_at_once_apply_each_migration_once()
    {
        var connectionString = folder.NewConnectionString();

        // Separate factories stand in for separate processes: neither knows the other has prepared the file.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(
            () => SqliteDatabaseFolder.Migrator(SqliteDatabaseFolder.Connections(connectionString)).MigrateAsync(CancellationToken.None))));

        Assert.Equal(SqliteStoreMigrator.Migrations.All.Count, (await HistoryAsync(connectionString)).Count);
        Assert.True(await SqliteDatabaseFolder.Stores(connectionString).Health.IsReadyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Database_with_a_newer_schema_than_this_build_knows_refuses_to_start()
    {
        var connectionString = folder.NewConnectionString();
        var migrator = SqliteDatabaseFolder.Migrator(SqliteDatabaseFolder.Connections(connectionString));
        await migrator.MigrateAsync(CancellationToken.None);
        var newer = SqliteStoreMigrator.Migrations.LatestVersion + 1;
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@newer, 'from the future', 0)",
                new { newer });
        }

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(CancellationToken.None));

        Assert.Contains($"version {newer}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {SqliteStoreMigrator.Migrations.LatestVersion}", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_that_was_never_migrated_is_not_ready()
    {
        var stores = SqliteDatabaseFolder.Stores(folder.NewConnectionString());

        Assert.False(await stores.Health.IsReadyAsync(CancellationToken.None));
    }

    private static async Task<List<(int Version, string Name)>> HistoryAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        var rows = await connection.QueryAsync<(long Version, string Name)>("SELECT version, name FROM schema_migrations ORDER BY version");
        return [.. rows.Select(row => ((int)row.Version, row.Name))];
    }
}

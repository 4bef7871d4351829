using Dapper;
using Latchkey.Storage.Specification;
using Npgsql;

namespace Latchkey.Storage.Postgres.Tests;

/// <summary>The shared migrator specification, plus how the PostgreSQL runner records, guards and serialises versions.</summary>
public sealed class PostgresMigratorTests(PostgresDatabase database) : MigratorSpecification, IClassFixture<PostgresDatabase>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => database.CreateStoresAsync();

    [Fact]
    public async Task Every_embedded_migration_is_recorded_once_with_its_name()
    {
        var connectionString = await database.NewSchemaAsync();
        var migrator = PostgresDatabase.Migrator(database.Connections(connectionString));

        await migrator.MigrateAsync(CancellationToken.None);
        await migrator.MigrateAsync(CancellationToken.None);

        var applied = await HistoryAsync(connectionString);
        Assert.Equal(PostgresStoreMigrator.Migrations.All.Select(migration => (migration.Version, migration.Name)), applied);
        Assert.Equal((1, "initial"), applied[0]);
    }

    [Fact]
    public async Task Nodes_migrating_a_new_database_at_once_wait_for_the_first_and_apply_each_migration_once()
    {
        var connectionString = await database.NewSchemaAsync();

        // Separate factories (pools) stand in for separate nodes.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(
            () => PostgresDatabase.Migrator(database.Connections(connectionString)).MigrateAsync(CancellationToken.None))));

        Assert.Equal(PostgresStoreMigrator.Migrations.All.Count, (await HistoryAsync(connectionString)).Count);
        Assert.True(await database.Stores(connectionString).Health.IsReadyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_node_waits_while_another_holds_the_migration_lock()
    {
        var connectionString = await database.NewSchemaAsync();
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        await other.ExecuteAsync("SELECT pg_advisory_lock(@LockClass, hashtext(current_schema()))", new { LockClass = 0x4C4B4D47 });

        var migrating = PostgresDatabase.Migrator(database.Connections(connectionString)).MigrateAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.False(migrating.IsCompleted);

        await other.ExecuteAsync("SELECT pg_advisory_unlock(@LockClass, hashtext(current_schema()))", new { LockClass = 0x4C4B4D47 });
        await migrating.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(PostgresStoreMigrator.Migrations.All.Count, (await HistoryAsync(connectionString)).Count);
    }

    [Fact]
    public async Task Database_with_a_newer_schema_than_this_build_knows_refuses_to_start()
    {
        var connectionString = await database.NewSchemaAsync();
        var migrator = PostgresDatabase.Migrator(database.Connections(connectionString));
        await migrator.MigrateAsync(CancellationToken.None);
        var newer = PostgresStoreMigrator.Migrations.LatestVersion + 1;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@newer, 'from the future', 0)",
                new { newer });
        }

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(CancellationToken.None));

        Assert.Contains($"version {newer}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {PostgresStoreMigrator.Migrations.LatestVersion}", refusal.Message, StringComparison.Ordinal);

        // The refusal released the lock: the next attempt is refused again rather than left waiting.
        await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Store_that_was_never_migrated_is_not_ready()
    {
        var stores = database.Stores(await database.NewSchemaAsync());

        Assert.False(await stores.Health.IsReadyAsync(CancellationToken.None));
    }

    private static async Task<List<(int Version, string Name)>> HistoryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(int Version, string Name)>("SELECT version, name FROM schema_migrations ORDER BY version");
        return [.. rows];
    }
}

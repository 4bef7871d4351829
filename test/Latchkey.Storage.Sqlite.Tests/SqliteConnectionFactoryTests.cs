using Dapper;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite.Tests;

/// <summary>The settings durability and concurrency depend on, read back from the connections the stores use.</summary>
public sealed class SqliteConnectionFactoryTests(SqliteDatabaseFolder folder) : IClassFixture<SqliteDatabaseFolder>
{
    [Fact]
    public async Task Store_connections_use_wal_full_sync_foreign_keys_and_a_busy_timeout()
    {
        var connections = SqliteDatabaseFolder.Connections(folder.NewConnectionString());
        await using (await connections.OpenAsync(CancellationToken.None))
        {
            // The first connection switches the file to WAL; the second shows the setting stayed on the file.
        }

        await using var connection = await connections.OpenAsync(CancellationToken.None);

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous")); // 2 = FULL
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal(5000, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task Wal_mode_is_on_for_any_later_connection_to_the_file()
    {
        var connectionString = folder.NewConnectionString();
        await SqliteDatabaseFolder.Stores(connectionString).Migrator.MigrateAsync(CancellationToken.None);

        await using var plain = new SqliteConnection(connectionString);

        Assert.Equal("wal", await plain.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Missing_folders_of_the_database_file_are_created()
    {
        var connectionString = folder.NewConnectionString(Path.Combine("not", "yet", "here", "latchkey.db"));
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        Assert.False(Directory.Exists(Path.GetDirectoryName(file)));

        await SqliteDatabaseFolder.Stores(connectionString).Migrator.MigrateAsync(CancellationToken.None);

        Assert.True(File.Exists(file));
    }

    [Fact]
    public void Default_connection_string_keeps_the_database_in_a_data_folder()
    {
        Assert.Equal("Data Source=./data/latchkey.db", new SqliteStoreOptions().ConnectionString);
    }
}

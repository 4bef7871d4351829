using Dapper;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite.Tests;

/// <summary>The settings durability and concurrency depend on, read back from the connections the stores use.</summary>
public sealed class SqliteConnectionFactoryTests(SqliteDatabaseFolder folder) : IClassFixture<SqliteDatabaseFolder>
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

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
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_new_database_is_readable_by_its_owner_only_with_its_wal_and_shm_files_and_folder()
    {
        var connectionString = folder.NewConnectionString(Path.Combine("private", "latchkey.db"));
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;

        var stores = SqliteDatabaseFolder.Stores(connectionString);
        await stores.Migrator.MigrateAsync(CancellationToken.None);
        await using (var open = await SqliteDatabaseFolder.Connections(connectionString).OpenAsync(CancellationToken.None))
        {
            // While a connection is open the -wal and -shm files exist.
            Assert.True(File.Exists(file + "-wal"));
            Assert.True(File.Exists(file + "-shm"));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file + "-wal"));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file + "-shm"));
        }

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_existing_database_file_and_folder_keep_the_modes_the_operator_gave_them()
    {
        var connectionString = folder.NewConnectionString(Path.Combine("shared", "latchkey.db"));
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var groupReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!, groupReadable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
        File.WriteAllBytes(file, []);
        File.SetUnixFileMode(file, groupReadable);

        await SqliteDatabaseFolder.Stores(connectionString).Migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(groupReadable, File.GetUnixFileMode(file));
        Assert.Equal(groupReadable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
    }

    [Fact]
    public void Default_connection_string_keeps_the_database_in_a_data_folder()
    {
        Assert.Equal("Data Source=./data/latchkey.db", new SqliteStoreOptions().ConnectionString);
    }
}

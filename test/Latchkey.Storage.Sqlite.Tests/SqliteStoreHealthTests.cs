using Dapper;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite.Tests;

/// <summary>
/// Which failures say "the database cannot serve now" (the host answers 503): a file another writer holds past the
/// busy timeout. A constraint or a missing table is an answer about the statement (500).
/// </summary>
public sealed class SqliteStoreHealthTests(SqliteDatabaseFolder folder) : IClassFixture<SqliteDatabaseFolder>
{
    [Fact]
    public async Task A_file_another_writer_holds_past_the_busy_timeout_is_unavailable()
    {
        var connectionString = folder.NewConnectionString();
        var health = new SqliteStoreHealth(SqliteDatabaseFolder.Connections(connectionString));
        await using var holder = new SqliteConnection(connectionString);
        await holder.OpenAsync();
        await holder.ExecuteAsync("CREATE TABLE t (x INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);");

        // No waiting: the store's own connections wait their busy timeout first, then fail the same way.
        await using var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync();
        await writer.ExecuteAsync("PRAGMA busy_timeout = 0");
        var failure = await Assert.ThrowsAsync<SqliteException>(() => writer.ExecuteAsync("INSERT INTO t VALUES (2)"));

        Assert.True(health.IsUnavailable(failure), failure.ToString());
        Assert.True(health.IsUnavailable(new InvalidOperationException("wrapped", failure)));
    }

    [Fact]
    public async Task A_statement_the_database_refuses_is_not_unavailable()
    {
        var connectionString = folder.NewConnectionString();
        var health = new SqliteStoreHealth(SqliteDatabaseFolder.Connections(connectionString));
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1);");

        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO t VALUES (1)"));
        var missing = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("SELECT * FROM no_such_table"));

        Assert.False(health.IsUnavailable(duplicate));
        Assert.False(health.IsUnavailable(missing));
        Assert.False(health.IsUnavailable(new IOException("The client went away.")));
    }
}

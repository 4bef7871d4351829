using System.Net;
using System.Net.Sockets;
using Dapper;
using Npgsql;

namespace Latchkey.Storage.Postgres.Tests;

/// <summary>
/// Which failures say "the server cannot be reached or cannot serve now" (the host answers 503) and which are answers
/// about a statement (a bug or bad data: 500), judged on exceptions the real server and Npgsql raise.
/// </summary>
public sealed class PostgresStoreHealthTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_server_that_refuses_connections_is_unavailable_and_not_ready()
    {
        var refused = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = PortNobodyListensOn() }.ConnectionString;
        var health = Health(refused);

        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await database.Connections(refused).OpenAsync(CancellationToken.None));

        Assert.True(health.IsUnavailable(failure), failure.ToString());
        Assert.False(await health.IsReadyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Sessions_the_server_ended_fail_one_call_as_unavailable_and_the_next_call_gets_a_fresh_connection()
    {
        // Three idle connections in the store's pool, then the server ends their sessions (as a restart does).
        var connections = database.Connections(database.ConnectionString);
        var pooled = new List<NpgsqlConnection>();
        for (var i = 0; i < 3; i++)
        {
            pooled.Add(await connections.OpenAsync(CancellationToken.None));
        }

        var backends = pooled.Select(c => c.ProcessID).ToArray();
        foreach (var connection in pooled)
        {
            await connection.DisposeAsync();
        }

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM unnest(@backends) AS pid", new { backends });
        }

        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(() => QueryAsync(connections));
        Assert.True(Health(database.ConnectionString).IsUnavailable(failure), failure.ToString());

        // Npgsql empties the pool when a connection breaks like this: the other two dead ones are not handed out.
        Assert.Equal(1, await QueryAsync(connections));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    [InlineData(PostgresErrorCodes.SqlClientUnableToEstablishSqlConnection)]
    public void The_server_saying_not_now_is_unavailable(string sqlState)
        => Assert.True(Health(database.ConnectionString).IsUnavailable(new PostgresException("not now", "FATAL", "FATAL", sqlState)));

    [Fact]
    public async Task A_statement_the_server_refuses_is_not_unavailable()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        var failure = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("SELECT * FROM no_such_table"));

        Assert.False(Health(database.ConnectionString).IsUnavailable(failure));
    }

    [Fact]
    public void A_wrapped_npgsql_failure_is_judged_by_its_cause_and_a_bare_io_failure_is_not_the_database()
    {
        var health = Health(database.ConnectionString);
        var reset = new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)));

        Assert.True(health.IsUnavailable(new InvalidOperationException("wrapped", reset)));
        Assert.False(health.IsUnavailable(new IOException("The client went away.")));
        Assert.False(health.IsUnavailable(new InvalidOperationException("A bug.")));
    }

    private PostgresStoreHealth Health(string connectionString) => new(database.Connections(connectionString));

    private static async Task<int> QueryAsync(PostgresConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<int>("SELECT 1");
    }

    private static int PortNobodyListensOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

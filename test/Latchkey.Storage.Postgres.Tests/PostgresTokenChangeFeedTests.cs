using Dapper;
using Latchkey.Auditing;
using Latchkey.Changes;
using Latchkey.Storage.Specification;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Latchkey.Storage.Postgres.Tests;

/// <summary>
/// The feed of several nodes on one PostgreSQL database: each node here is a feed with a listening connection and a
/// pool of its own, as a separate process would have. Catching up is a marker sent after the changes, which PostgreSQL
/// delivers after them, so nothing waits on the clock but the network.
/// </summary>
public sealed class PostgresTokenChangeFeedTests(PostgresDatabase database) : TokenChangeFeedSpecification, IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private readonly List<PostgresTokenChangeFeed> _nodes = [];
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        _connectionString = await database.NewSchemaAsync();
        await PostgresDatabase.Migrator(database.Connections(_connectionString)).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync(CancellationToken.None);
            node.Dispose();
        }
    }

    protected override async Task<ITokenChangeFeed> StartNodeAsync() => await StartPostgresNodeAsync();

    protected override async Task CommitAsync(ITokenChangeFeed node, TokenChange change)
    {
        // What the store does in each write's transaction.
        await using var connection = await database.Connections(_connectionString).OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await TokenChangeLog.AppendAsync(connection, transaction, change, T0, CancellationToken.None);
        await transaction.CommitAsync();
        node.Publish(change);
    }

    protected override Task CatchUpAsync(ITokenChangeFeed node) => ((PostgresTokenChangeFeed)node).CatchUpAsync(CancellationToken.None).WaitAsync(Patience);

    [Fact]
    public async Task Revoking_rotating_updating_and_blocking_through_the_store_reach_another_node()
    {
        var stores = database.Stores(_connectionString);
        var owner = (await stores.Users.CreateAsync(new NewUser("ada", null, null, "x", false, T0), CancellationToken.None))!;
        var blocked = (await stores.Users.CreateAsync(new NewUser("bob", null, null, "x", false, T0), CancellationToken.None))!;
        var revoked = await InsertAsync(stores, owner.Id, "revoked");
        var rotated = await InsertAsync(stores, owner.Id, "rotated");
        var updated = await InsertAsync(stores, owner.Id, "updated");
        var untouched = await InsertAsync(stores, owner.Id, "untouched");
        var other = await StartPostgresNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = other.Subscribe(cache);
        var audit = new AuditEntry(AuditActions.TokenRevoked, T0, null);

        await stores.Tokens.RevokeAsync(revoked.Id, T0, audit, CancellationToken.None);
        await stores.Tokens.RotateAsync(rotated.Id, NewToken(owner.Id, "rotated"), rotatedItself: false, audit, CancellationToken.None);
        await stores.Tokens.UpdateAsync(updated.Id, new TokenChanges { Name = "renamed" }, UpdateConstraints.None(T0), audit, CancellationToken.None);
        await stores.Users.UpdateAsync(blocked.Id, new UserChanges { State = UserStates.Blocked, EndSessions = true }, audit, CancellationToken.None);
        await CatchUpAsync(other);

        Assert.Equal([revoked.Id, rotated.Id, updated.Id], cache.TokenIds);
        Assert.DoesNotContain(untouched.Id, cache.TokenIds);
        Assert.Equal([blocked.Id], cache.UserIds);
        Assert.Equal(0, cache.Resets);
    }

    [Fact]
    public async Task A_change_naming_thousands_of_tokens_arrives_whole_in_notifications_under_the_size_limit()
    {
        var writer = await StartPostgresNodeAsync();
        var reader = await StartPostgresNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = reader.Subscribe(cache);
        long[] family = [.. Enumerable.Range(1, 3000).Select(i => 9_000_000_000_000L + i)];

        await CommitAsync(writer, TokenChange.Tokens(family));
        await CatchUpAsync(reader);

        Assert.Equal(family, cache.TokenIds);
        Assert.True(TokenChangeLog.Payloads(TokenChange.Tokens(family)).Count() > 1);
        Assert.All(TokenChangeLog.Payloads(TokenChange.Tokens(family)), payload => Assert.True(payload.Length <= TokenChangeLog.MaxPayloadLength));
    }

    [Fact]
    public async Task A_change_rolled_back_tells_no_node()
    {
        var reader = await StartPostgresNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = reader.Subscribe(cache);

        await using (var connection = await database.Connections(_connectionString).OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await TokenChangeLog.AppendAsync(connection, transaction, TokenChange.Tokens([5]), T0, CancellationToken.None);
            await transaction.RollbackAsync();
        }

        await CatchUpAsync(reader);
        Assert.Empty(cache.TokenIds);
    }

    [Fact]
    public async Task A_node_whose_listening_connection_is_terminated_clears_its_cache_listens_again_and_hears_later_changes()
    {
        var writer = await StartPostgresNodeAsync();
        var reader = await StartPostgresNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = reader.Subscribe(cache);

        // Every listener of this database but the writer's: the writer listens too, so end both and wait for both.
        await using (var connection = await database.Connections(_connectionString).OpenAsync(CancellationToken.None))
        {
            var ended = await connection.ExecuteScalarAsync<int>(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @Name",
                new { Name = PostgresTokenChangeFeed.ListenerApplicationName });
            Assert.True(ended >= 2);
        }

        var deadline = DateTime.UtcNow + Patience;
        while (cache.Resets == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, cache.Resets);
        await CommitAsync(writer, TokenChange.Tokens([77]));
        await CatchUpAsync(reader);
        Assert.Equal([77], cache.TokenIds);
    }

    [Fact]
    public async Task A_node_whose_connection_string_turns_on_multiplexing_listens_and_hears_changes()
    {
        var writer = await StartPostgresNodeAsync();
        var reader = await StartPostgresNodeAsync(new NpgsqlConnectionStringBuilder(_connectionString) { Multiplexing = true }.ConnectionString);
        var cache = new RecordingSubscriber();
        using var subscription = reader.Subscribe(cache);

        await CommitAsync(writer, TokenChange.Tokens([78]));
        await CatchUpAsync(reader);

        Assert.Equal([78], cache.TokenIds);
    }

    private async Task<PostgresTokenChangeFeed> StartPostgresNodeAsync(string? connectionString = null)
    {
        var feed = new PostgresTokenChangeFeed(
            Options.Create(new PostgresStoreOptions { ConnectionString = connectionString ?? _connectionString }),
            database.Connections(_connectionString),
            TimeProvider.System,
            NullLogger<PostgresTokenChangeFeed>.Instance);
        _nodes.Add(feed);
        await feed.StartAsync(CancellationToken.None);
        await feed.Listening.WaitAsync(Patience);
        return feed;
    }

    private static async Task<PersonalAccessToken> InsertAsync(StoreUnderTest stores, long userId, string name)
        => (await stores.Tokens.InsertAsync(NewToken(userId, name), InsertConstraints.None(T0), new AuditEntry(AuditActions.TokenCreated, T0, null), CancellationToken.None)).Token!;

    private static NewToken NewToken(long userId, string name) => new()
    {
        PublicId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        UserId = userId,
        Kind = TokenKind.Personal,
        Name = name,
        Scopes = ["api"],
        CreatedAt = T0,
        Hash = new TokenHash(System.Security.Cryptography.RandomNumberGenerator.GetBytes(TokenHash.Size)),
        KeyId = "k1",
        Origin = TokenOrigins.Native,
    };
}

using Dapper;
using Latchkey.Changes;
using Latchkey.Storage.Specification;
using Microsoft.Extensions.Logging.Abstractions;

namespace Latchkey.Storage.Sqlite.Tests;

/// <summary>
/// The feed of several processes on one SQLite file. Every node has its own connection factory and feed, as a
/// separate process would; catching up is one poll, so nothing waits on the clock.
/// </summary>
public sealed class SqliteTokenChangeFeedTests : TokenChangeFeedSpecification, IClassFixture<SqliteDatabaseFolder>, IAsyncLifetime
{
    private readonly SqliteDatabaseFolder _folder;
    private readonly string _connectionString;
    private readonly ManualClock _time = new(new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero));

    public SqliteTokenChangeFeedTests(SqliteDatabaseFolder folder)
    {
        _folder = folder;
        _connectionString = folder.NewConnectionString();
    }

    public async Task InitializeAsync()
        => await SqliteDatabaseFolder.Migrator(SqliteDatabaseFolder.Connections(_connectionString)).MigrateAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    protected override async Task<ITokenChangeFeed> StartNodeAsync() => await StartSqliteNodeAsync();

    protected override async Task CommitAsync(ITokenChangeFeed node, TokenChange change)
    {
        // What the store does in each write's transaction.
        await using var connection = await SqliteDatabaseFolder.Connections(_connectionString).OpenAsync(CancellationToken.None);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await TokenChangeLog.AppendAsync(connection, transaction, change, _time.GetUtcNow(), CancellationToken.None);
        await transaction.CommitAsync();
        node.Publish(change);
    }

    protected override Task CatchUpAsync(ITokenChangeFeed node) => ((SqliteTokenChangeFeed)node).PollAsync(CancellationToken.None);

    [Fact]
    public async Task Revoking_rotating_and_updating_through_the_store_reach_another_process()
    {
        var stores = SqliteDatabaseFolder.Stores(_connectionString);
        var owner = (await stores.Users.CreateAsync(new Users.NewUser("ada", "ada@example.com", "Ada", "pbkdf2$ada", false, _time.GetUtcNow()), CancellationToken.None))!;
        var revoked = await InsertAsync(stores, owner.Id, "revoked");
        var rotated = await InsertAsync(stores, owner.Id, "rotated");
        var updated = await InsertAsync(stores, owner.Id, "updated");
        var untouched = await InsertAsync(stores, owner.Id, "untouched");
        var other = await StartSqliteNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = other.Subscribe(cache);
        var now = _time.GetUtcNow();
        var audit = new Auditing.AuditEntry(Auditing.AuditActions.TokenRevoked, now, null);

        await stores.Tokens.RevokeAsync(revoked.Id, now, audit, CancellationToken.None);
        await stores.Tokens.RotateAsync(rotated.Id, NewToken(owner.Id, "rotated"), rotatedItself: false, audit, CancellationToken.None);
        await stores.Tokens.UpdateAsync(updated.Id, new Stores.TokenChanges { Name = "renamed" }, Stores.UpdateConstraints.None(now), audit, CancellationToken.None);
        await other.PollAsync(CancellationToken.None);

        Assert.Equal([revoked.Id, rotated.Id, updated.Id], cache.TokenIds);
        Assert.DoesNotContain(untouched.Id, cache.TokenIds);
        Assert.Equal(0, cache.Resets);
    }

    [Fact]
    public async Task Blocking_or_deleting_a_user_through_the_store_reaches_another_process_by_user_and_a_refused_change_does_not()
    {
        var stores = SqliteDatabaseFolder.Stores(_connectionString);
        var blocked = (await stores.Users.CreateAsync(new Users.NewUser("ada", null, null, "x", false, _time.GetUtcNow()), CancellationToken.None))!;
        var deleted = (await stores.Users.CreateAsync(new Users.NewUser("bob", null, null, "x", false, _time.GetUtcNow()), CancellationToken.None))!;
        var lastAdmin = (await stores.Users.CreateAsync(new Users.NewUser("root", null, null, "x", true, _time.GetUtcNow()), CancellationToken.None))!;
        var other = await StartSqliteNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = other.Subscribe(cache);
        var audit = new Auditing.AuditEntry(Auditing.AuditActions.UserBlocked, _time.GetUtcNow(), null);

        await stores.Users.UpdateAsync(blocked.Id, new Stores.UserChanges { State = Users.UserStates.Blocked, EndSessions = true }, audit, CancellationToken.None);
        await stores.Users.DeleteAsync(deleted.Id, false, audit, CancellationToken.None);
        await stores.Users.UpdateAsync(lastAdmin.Id, new Stores.UserChanges { IsAdmin = false, KeepAnActiveAdministrator = true }, audit, CancellationToken.None);
        await other.PollAsync(CancellationToken.None);

        Assert.Equal([blocked.Id, deleted.Id], cache.UserIds);
        Assert.Empty(cache.TokenIds);
        Assert.Equal(0, cache.Resets);
    }

    [Fact]
    public async Task A_process_that_did_not_read_before_its_changes_were_pruned_clears_its_cache()
    {
        var writer = await StartSqliteNodeAsync();
        var sleeper = await StartSqliteNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = sleeper.Subscribe(cache);
        await CommitAsync(writer, TokenChange.Tokens([1]));

        // The writer prunes after the retention; the sleeper never read token 1's change.
        _time.Advance(SqliteTokenChangeFeed.Retention + TimeSpan.FromMinutes(2));
        await writer.PollAsync(CancellationToken.None);
        await CommitAsync(writer, TokenChange.Tokens([2]));
        await sleeper.PollAsync(CancellationToken.None);

        Assert.Equal(1, cache.Resets);
        Assert.DoesNotContain(1, cache.TokenIds);

        // From there on it follows again.
        await CommitAsync(writer, TokenChange.Tokens([3]));
        await sleeper.PollAsync(CancellationToken.None);
        Assert.Equal([3], cache.TokenIds);
        Assert.Equal(1, cache.Resets);
    }

    [Fact]
    public async Task A_process_that_could_not_read_the_changes_clears_its_cache_once_it_can_again()
    {
        var writer = await StartSqliteNodeAsync();
        var reader = await StartSqliteNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = reader.Subscribe(cache);
        await CommitAsync(writer, TokenChange.Tokens([1]));

        // The table goes away (a restore from an older backup, a broken file) and comes back empty.
        await ExecuteAsync("ALTER TABLE token_changes RENAME TO token_changes_lost");
        await reader.PollAsync(CancellationToken.None);
        Assert.Equal(0, cache.Resets);
        await ExecuteAsync("ALTER TABLE token_changes_lost RENAME TO token_changes; DELETE FROM token_changes; DELETE FROM sqlite_sequence WHERE name = 'token_changes'");
        await reader.PollAsync(CancellationToken.None);

        Assert.Equal(1, cache.Resets);
        await CommitAsync(writer, TokenChange.Tokens([2]));
        await reader.PollAsync(CancellationToken.None);
        Assert.Equal([2], cache.TokenIds);
    }

    private async Task<SqliteTokenChangeFeed> StartSqliteNodeAsync()
    {
        var feed = new SqliteTokenChangeFeed(SqliteDatabaseFolder.Connections(_connectionString), _time, NullLogger<SqliteTokenChangeFeed>.Instance);
        await feed.PollAsync(CancellationToken.None);
        return feed;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await SqliteDatabaseFolder.Connections(_connectionString).OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(sql);
    }

    private async Task<Tokens.PersonalAccessToken> InsertAsync(Specification.StoreUnderTest stores, long userId, string name)
        => (await stores.Tokens.InsertAsync(NewToken(userId, name), Stores.InsertConstraints.None(_time.GetUtcNow()), new Auditing.AuditEntry(Auditing.AuditActions.TokenCreated, _time.GetUtcNow(), null), CancellationToken.None)).Token!;

    private Stores.NewToken NewToken(long userId, string name) => new()
    {
        PublicId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        UserId = userId,
        Kind = Tokens.TokenKind.Personal,
        Name = name,
        Scopes = ["api"],
        CreatedAt = _time.GetUtcNow(),
        Hash = new Tokens.TokenHash(System.Security.Cryptography.RandomNumberGenerator.GetBytes(Tokens.TokenHash.Size)),
        KeyId = "k1",
        Origin = Tokens.TokenOrigins.Native,
    };

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

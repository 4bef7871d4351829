using Latchkey.Auditing;
using Latchkey.Storage.Specification;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Storage.Postgres.Tests;

/// <summary>
/// What the PostgreSQL store guarantees when several nodes write to one database at its default READ COMMITTED
/// isolation: each node here is a store with a pool of its own, and the writes race on separate connections.
/// </summary>
public sealed class PostgresAcrossNodesTests(PostgresDatabase database) : StoreSpecification, IClassFixture<PostgresDatabase>
{
    private string _connectionString = string.Empty;

    protected override Task<StoreUnderTest> CreateStoresAsync() => database.CreateStoresAsync();

    [Fact]
    public async Task Creates_from_two_nodes_at_the_cap_create_exactly_the_cap()
    {
        var (a, b) = await TwoNodesAsync();
        var owner = await CreateUserAsync(a);
        var constraints = new InsertConstraints(4, true, T0);

        var outcomes = await RaceAsync(12, i => (i % 2 == 0 ? a : b).Tokens.InsertAsync(NewToken(owner.Id, $"racer {i}"), constraints, Audit(), Cancel));

        Assert.Equal(4, outcomes.Count(outcome => outcome.Token is not null));
        Assert.Equal(8, outcomes.Count(outcome => outcome.Refusal == InsertRefusal.LimitReached));
        Assert.Equal(4, (await b.Tokens.QueryAsync(new TokenQuery { UserId = owner.Id, Now = T0 }, Cancel)).Total);
    }

    [Fact]
    public async Task Rotations_of_one_token_from_two_nodes_have_exactly_one_winner()
    {
        var (a, b) = await TwoNodesAsync();
        var owner = await CreateUserAsync(a);
        var token = await InsertAsync(a, owner.Id);

        var outcomes = await RaceAsync(8, i => (i % 2 == 0 ? a : b).Tokens.RotateAsync(token.Id, NewToken(owner.Id), rotatedItself: false, Audit(AuditActions.TokenRotated), Cancel));

        var winner = Assert.Single(outcomes, outcome => outcome.Replacement is not null);
        Assert.Equal(token.Id, winner.Replacement!.PreviousId);
        Assert.Equal([token.Id, winner.Replacement.Id], await IdsAsync(b, new TokenQuery { UserId = owner.Id, Sort = TokenSort.IdAsc }));
    }

    [Fact]
    public async Task A_token_derived_while_its_parent_is_revoked_on_another_node_ends_revoked()
    {
        var (a, b) = await TwoNodesAsync();
        var owner = await CreateUserAsync(a);
        for (var round = 0; round < 10; round++)
        {
            var parent = await InsertAsync(a, owner.Id, $"parent {round}");

            var outcomes = await RaceAsync(2, async i =>
            {
                if (i == 0)
                {
                    await a.Tokens.RevokeAsync(parent.Id, T0, Audit(AuditActions.TokenRevoked), Cancel);
                    return (long?)null;
                }

                return (await InsertAsync(b, NewToken(owner.Id, "child", TokenKind.AccessToken, parentId: parent.Id))).Id;
            });

            Assert.NotNull((await RequireAsync(b, outcomes[1]!.Value)).RevokedAt);
        }
    }

    [Fact]
    public async Task Revoking_all_of_a_users_tokens_while_another_node_rotates_the_only_one_revokes_the_replacement_too()
    {
        var (a, b) = await TwoNodesAsync();
        var owner = await CreateUserAsync(a);
        var token = await InsertAsync(a, owner.Id);

        // The rotation on B holds the token's row (revoked, its replacement inserted) until the audit log is free, so
        // the revocation on A is sure to wait for it, then find that row already revoked.
        await using var blocker = new Npgsql.NpgsqlConnection(_connectionString);
        await blocker.OpenAsync(Cancel);
        await using var hold = await blocker.BeginTransactionAsync(Cancel);
        await Dapper.SqlMapper.ExecuteAsync(blocker, "LOCK TABLE audit_log IN EXCLUSIVE MODE", transaction: hold);
        var rotation = b.Tokens.RotateAsync(token.Id, NewToken(owner.Id), rotatedItself: false, Audit(AuditActions.TokenRotated), Cancel);
        await WaitForLockWaitersAsync(1);
        var revocation = a.Tokens.RevokeAllAsync(owner.Id, TokenKind.Personal, T0, Audit(AuditActions.TokenRevoked), Cancel);
        await WaitForLockWaitersAsync(2);
        await hold.CommitAsync(Cancel);

        var replacement = (await rotation).Replacement!;
        await revocation;

        Assert.NotNull((await RequireAsync(a, replacement.Id)).RevokedAt);
    }

    [Fact]
    public async Task Demoting_the_last_two_administrators_from_two_nodes_keeps_one()
    {
        var (a, b) = await TwoNodesAsync();
        var first = await CreateUserAsync(a, "root", isAdmin: true);
        var second = await CreateUserAsync(a, "admin", isAdmin: true);
        var demote = new UserChanges { IsAdmin = false, KeepAnActiveAdministrator = true };

        var outcomes = await RaceAsync(2, i => (i == 0 ? a : b).Users.UpdateAsync(i == 0 ? first.Id : second.Id, demote, Audit(AuditActions.UserUpdated), Cancel));

        Assert.Single(outcomes, outcome => outcome.Refusal == UserWriteRefusal.LastAdministrator);
        Assert.Single(new[] { await a.Users.FindAsync(first.Id, Cancel), await a.Users.FindAsync(second.Id, Cancel) }, user => user!.IsAdmin);
    }

    [Fact]
    public async Task Usernames_clash_in_any_ascii_case_from_either_node_and_other_letters_keep_their_case_as_on_sqlite()
    {
        var (a, b) = await TwoNodesAsync();
        await CreateUserAsync(a, "Alice");

        Assert.Null(await b.Users.CreateAsync(new NewUser("alice", null, null, "x", false, T0), Cancel));

        // SQLite's NOCASE folds A-Z only: 'Émile' and 'émile' are two users there, and so here.
        var upper = await CreateUserAsync(a, "Émile");
        var lower = await CreateUserAsync(b, "émile");
        Assert.NotEqual(upper.Id, lower.Id);
        Assert.Equal(lower.Id, (await a.Users.FindByUsernameAsync("éMILE", Cancel))!.Id);
    }

    [Fact]
    public async Task Every_change_writes_its_token_changes_rows_for_the_other_nodes()
    {
        var (a, _) = await TwoNodesAsync();
        var owner = await CreateUserAsync(a);
        var revoked = await InsertAsync(a, owner.Id, "revoked");
        var child = await InsertAsync(a, NewToken(owner.Id, "child", TokenKind.AccessToken, parentId: revoked.Id));

        await a.Tokens.RevokeAsync(revoked.Id, T0, Audit(AuditActions.TokenRevoked), Cancel);
        await a.Users.UpdateAsync(owner.Id, new UserChanges { State = UserStates.Blocked }, Audit(AuditActions.UserBlocked), Cancel);

        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        var rows = await Dapper.SqlMapper.QueryAsync<(long? TokenId, long? UserId)>(connection, "SELECT token_id, user_id FROM token_changes ORDER BY id");
        Assert.Equal([(revoked.Id, null), (child.Id, null), (null, owner.Id)], rows.Select(row => (row.TokenId, row.UserId)));
    }

    /// <summary>Waits until this many of this database's sessions wait for a lock.</summary>
    private async Task WaitForLockWaitersAsync(int count)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var waiting = await Dapper.SqlMapper.ExecuteScalarAsync<long>(
                connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
            if (waiting >= count)
            {
                return;
            }

            await Task.Delay(25, Cancel);
        }

        throw new TimeoutException($"Fewer than {count} sessions waited for a lock within 5 s.");
    }

    /// <summary>Two nodes over one fresh, migrated schema, each with its own pool.</summary>
    private async Task<(StoreUnderTest A, StoreUnderTest B)> TwoNodesAsync()
    {
        _connectionString = await database.NewSchemaAsync();
        var a = database.Stores(_connectionString);
        var b = database.Stores(_connectionString);
        await Task.WhenAll(a.Migrator.MigrateAsync(Cancel), b.Migrator.MigrateAsync(Cancel));
        return (a, b);
    }
}

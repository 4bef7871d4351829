using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;

namespace Latchkey.Tests.Fakes;

/// <summary>The double must keep the promises of <see cref="ITokenStore"/> that the engine's tests lean on.</summary>
public sealed class InMemoryTokenStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Now = EngineBuilder.Start;
    private readonly InMemoryAuditStore _audit = new();
    private readonly InMemoryTokenStore _store;
    private readonly TokenHasher _hasher = new(EngineBuilder.NewKeyRing());
    private readonly long _userId;

    public InMemoryTokenStoreTests()
    {
        var users = new InMemoryUserStore();
        _store = new InMemoryTokenStore(users, _audit);
        _userId = users.CreateAsync(new Users.NewUser("alice", null, null, "x", false, Now), None).Result!.Id;
    }

    [Fact]
    public async Task Of_concurrent_rotations_of_one_token_exactly_one_wins()
    {
        var token = await InsertAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => _store.RotateAsync(token.Id, NewToken(), rotatedItself: false, Audit(AuditActions.TokenRotated), None))));

        var winner = Assert.Single(outcomes, o => o.Replacement is not null);
        Assert.Equal((token.FamilyId, token.Id), (winner.Replacement!.FamilyId, winner.Replacement.PreviousId));
        Assert.Equal(2, _store.Count);
        Assert.Single(_audit.Entries(AuditActions.TokenRotated));
    }

    [Fact]
    public async Task Revoking_what_is_already_revoked_changes_nothing_and_audits_nothing()
    {
        var token = await InsertAsync();

        var first = await _store.RevokeAsync(token.Id, Now, Audit(AuditActions.TokenRevoked), None);
        var second = await _store.RevokeAsync(token.Id, Now.AddHours(1), Audit(AuditActions.TokenRevoked), None);
        var family = await _store.RevokeFamilyAsync(token.FamilyId, Now.AddHours(1), Audit(AuditActions.TokenReuseDetected), None);
        var missing = await _store.RevokeAsync(999, Now, Audit(AuditActions.TokenRevoked), None);

        Assert.Equal([token.Id], first);
        Assert.Empty(second);
        Assert.Empty(family);
        Assert.Empty(missing);
        Assert.Single(_audit.Entries(AuditActions.TokenRevoked));
        Assert.Empty(_audit.Entries(AuditActions.TokenReuseDetected));
        Assert.Equal(Now, (await _store.FindAsync(token.Id, None))!.RevokedAt);
    }

    [Fact]
    public async Task Revoking_a_family_revokes_its_live_members_and_what_derives_from_them()
    {
        var first = await InsertAsync();
        var second = (await _store.RotateAsync(first.Id, NewToken(), rotatedItself: false, Audit(AuditActions.TokenRotated), None)).Replacement!;
        var child = (await _store.InsertAsync(NewToken() with { Kind = TokenKind.AccessToken, ParentId = second.Id }, InsertConstraints.None(Now), Audit(AuditActions.TokenCreated), None)).Token!;
        var stranger = await InsertAsync();

        var revoked = await _store.RevokeFamilyAsync(first.FamilyId, Now, Audit(AuditActions.TokenReuseDetected), None);

        Assert.Equal([second.Id, child.Id], revoked.Order());
        Assert.False((await _store.FindAsync(stranger.Id, None))!.IsRevoked);
    }

    [Fact]
    public async Task Timestamps_are_kept_to_the_millisecond_and_in_utc()
    {
        var odd = new DateTimeOffset(2025, 3, 14, 10, 26, 53, 123, TimeSpan.FromHours(1)).AddTicks(4567);

        var token = (await _store.InsertAsync(NewToken() with { CreatedAt = odd, ExpiresAt = odd.AddDays(1) }, InsertConstraints.None(Now), Audit(AuditActions.TokenCreated), None)).Token!;

        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 26, 53, 123, TimeSpan.Zero), token.CreatedAt);
        Assert.Equal(TimeSpan.Zero, token.CreatedAt.Offset);
        Assert.Equal(token.CreatedAt.AddDays(1), token.ExpiresAt);
    }

    [Fact]
    public async Task Ids_only_grow_and_a_new_token_is_its_own_family_audited_under_its_id()
    {
        var one = await InsertAsync();
        var two = await InsertAsync();

        Assert.True(two.Id > one.Id);
        Assert.Equal((one.Id, two.Id), (one.FamilyId, two.FamilyId));
        Assert.Equal([one.Id, two.Id], _audit.Events.Select(e => e.Entry.TokenId));
    }

    private async Task<PersonalAccessToken> InsertAsync()
        => (await _store.InsertAsync(NewToken(), InsertConstraints.None(Now), Audit(AuditActions.TokenCreated), None)).Token!;

    private NewToken NewToken()
    {
        var secret = TokenFormat.Generate("lk_", "k1");
        return new NewToken
        {
            PublicId = Guid.NewGuid().ToString("N"),
            UserId = _userId,
            Name = "ci",
            Scopes = ["api"],
            CreatedAt = Now,
            ExpiresAt = Now.AddDays(30),
            Hash = _hasher.HashNew(secret),
            KeyId = "k1",
        };
    }

    private AuditEntry Audit(string action) => new(action, Now, _userId);
}

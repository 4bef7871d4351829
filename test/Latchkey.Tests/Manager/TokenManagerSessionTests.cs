using Latchkey.Auditing;
using Latchkey.Policy;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Manager;

public sealed class TokenManagerSessionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_session_has_all_of_its_users_rights()
    {
        var engine = new EngineBuilder().Build();
        var root = await engine.CreateUserAsync("root", isAdmin: true);

        var session = await engine.Manager.CreateSessionAsync(root, Engine.ClientIp, None);

        var authenticated = await engine.AuthenticateAsync(session.Secret);
        Assert.Equal(TokenKind.Session, authenticated.Kind);
        Assert.Equal(TokenOrigins.Session, authenticated.Origin);
        Assert.True(authenticated.Granted.IsFullAccess);
        Assert.True(authenticated.IsAdmin);
        var audit = Assert.Single(engine.Audit.Entries(AuditActions.SessionCreated));
        Assert.Equal((root.Id, session.Token.Id, Engine.ClientIp), (audit.ActorUserId, audit.TokenId, audit.IpAddress));
    }

    [Fact]
    public async Task A_session_ends_after_the_session_lifetime()
    {
        var engine = new EngineBuilder().Configure(o => o.SessionLifetime = TimeSpan.FromHours(2)).Build();
        var alice = await engine.CreateUserAsync("alice");
        var session = await engine.Manager.CreateSessionAsync(alice, null, None);

        Assert.Equal(engine.Now.AddHours(2), session.Token.ExpiresAt);
        engine.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.True((await engine.ValidateAsync(session.Secret)).Succeeded);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(session.Secret)).Failure);
    }

    [Fact]
    public async Task An_access_token_carries_its_parents_scopes_and_dies_on_time()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice, "ci", ["read_api"]);

        var exchanged = await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), Engine.ClientIp, None);

        var access = await engine.AuthenticateAsync(exchanged.Value!.Secret);
        Assert.Equal(TokenKind.AccessToken, access.Kind);
        Assert.Equal(pat.Token.Id, access.ParentId);
        Assert.Equal(["read_api"], access.Scopes);
        Assert.Equal(engine.Now.AddHours(1), access.ExpiresAt);
        engine.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(exchanged.Value.Secret)).Failure);
        Assert.True((await engine.ValidateAsync(pat.Secret)).Succeeded);
    }

    [Fact]
    public async Task An_access_token_never_outlives_its_parent()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice, expiry: TokenExpiry.On(engine.Now.AddMinutes(10)));

        var exchanged = await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), null, None);

        Assert.Equal(pat.Token.ExpiresAt, exchanged.Value?.Token.ExpiresAt);
        engine.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(exchanged.Value!.Secret)).Failure);
    }

    [Fact]
    public async Task An_access_token_of_a_never_expiring_token_lives_as_long_as_asked()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice, expiry: TokenExpiry.Never(acknowledged: true));

        var exchanged = await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromMinutes(15), null, None);

        Assert.Equal(engine.Now.AddMinutes(15), exchanged.Value?.Token.ExpiresAt);
    }

    [Fact]
    public async Task Only_an_active_personal_access_token_can_be_exchanged()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var revoked = await engine.IssueAsync(alice, "revoked");
        var expiring = await engine.IssueAsync(alice, "expiring", expiry: TokenExpiry.On(engine.Now.AddMinutes(1)));
        var pat = await engine.IssueAsync(alice, "pat");
        var access = (await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), null, None)).Value!;
        var session = await engine.Manager.CreateSessionAsync(alice, null, None);
        var revokedToken = (await engine.Manager.RevokeAsync(Engine.ActorFor(alice), revoked.Token.Id, None)).Value!;
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var count = engine.Tokens.Count;

        foreach (var parent in new[] { revokedToken, expiring.Token, access.Token, session.Token })
        {
            var result = await engine.Manager.ExchangeAsync(parent, TimeSpan.FromHours(1), null, None);
            Assert.Equal(TokenErrorCode.Inactive, result.Error?.Code);
        }

        Assert.Equal(count, engine.Tokens.Count);
    }

    [Fact]
    public async Task An_exchange_is_audited_as_a_token_made_by_its_parent()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice);

        var access = await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), Engine.ClientIp, None);

        var entry = engine.Audit.Entries(AuditActions.TokenCreated)[^1];
        Assert.Equal((alice.Id, access.Value!.Token.Id, "access token"), (entry.ActorUserId, entry.TokenId, entry.Details));
    }
}

using Latchkey.Auditing;
using Latchkey.Policy;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Manager;

/// <summary>RFC 7009 revocation: whoever holds a token's value may revoke it, and learns nothing either way.</summary>
public sealed class TokenManagerRevokeByValueTests
{
    private const string FinderIp = "203.0.113.9";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Anyone_holding_the_value_revokes_the_token_and_it_fails_the_next_check()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);

        var revoked = await engine.Manager.RevokeByValueAsync(issued.Secret, FinderIp, None);

        Assert.True(revoked);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(issued.Secret)).Failure);
        Assert.Equal(engine.Now, (await engine.GetAsync(alice, issued.Token.Id)).RevokedAt);
    }

    [Fact]
    public async Task The_revocation_is_audited_as_by_value_from_the_callers_address_with_no_actor()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        await engine.Manager.RevokeByValueAsync(issued.Secret, FinderIp, None);

        var entry = Assert.Single(engine.Audit.Entries(AuditActions.TokenRevoked));
        Assert.Equal(new AuditEntry(AuditActions.TokenRevoked, engine.Now, null, issued.Token.Id, alice.Id, FinderIp, TokenManager.RevokedByValue), entry);
    }

    [Fact]
    public async Task Revoking_by_value_revokes_the_access_tokens_derived_from_it()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice);
        var access = (await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), null, None)).Value!;
        await engine.AuthenticateAsync(access.Secret);

        await engine.Manager.RevokeByValueAsync(pat.Secret, FinderIp, None);

        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(access.Secret)).Failure);
    }

    [Fact]
    public async Task Unknown_malformed_and_missing_values_write_nothing()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        bool[] answers =
        [
            await engine.Manager.RevokeByValueAsync(TokenFormat.Generate("lk_", "k1"), FinderIp, None),
            await engine.Manager.RevokeByValueAsync(TokenFormat.Generate("lk_", "zz"), FinderIp, None),
            await engine.Manager.RevokeByValueAsync("lk_not-a-token", FinderIp, None),
            await engine.Manager.RevokeByValueAsync(issued.Secret[..^1] + (issued.Secret[^1] == 'a' ? 'b' : 'a'), FinderIp, None),
            await engine.Manager.RevokeByValueAsync(null, FinderIp, None),
        ];

        Assert.All(answers, Assert.False);
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenRevoked));
        Assert.True((await engine.ValidateAsync(issued.Secret)).Succeeded);
    }

    [Fact]
    public async Task An_already_revoked_token_is_not_revoked_or_audited_again()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.Manager.RevokeByValueAsync(issued.Secret, FinderIp, None);
        var revokedAt = engine.Now;
        engine.Time.Advance(TimeSpan.FromMinutes(5));

        var again = await engine.Manager.RevokeByValueAsync(issued.Secret, "192.0.2.1", None);

        Assert.False(again);
        Assert.Single(engine.Audit.Entries(AuditActions.TokenRevoked));
        Assert.Equal(revokedAt, (await engine.GetAsync(alice, issued.Token.Id)).RevokedAt);
    }

    [Fact]
    public async Task An_expired_token_writes_nothing()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, expiry: TokenExpiry.On(engine.Now.AddDays(1)));
        engine.Time.Advance(TimeSpan.FromDays(2));

        Assert.False(await engine.Manager.RevokeByValueAsync(issued.Secret, FinderIp, None));
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenRevoked));
        Assert.Null((await engine.GetAsync(alice, issued.Token.Id)).RevokedAt);
    }

    [Fact]
    public async Task A_sanctum_form_naming_another_tokens_id_writes_nothing()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        Assert.False(await engine.Manager.RevokeByValueAsync($"{issued.Token.Id + 1}|{issued.Secret}", FinderIp, None));
        Assert.True(await engine.Manager.RevokeByValueAsync($"{issued.Token.Id}|{issued.Secret}", FinderIp, None));
    }
}

using Latchkey.Auditing;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Manager;

public sealed class TokenManagerRevokeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Revoking_answers_with_the_revoked_token_and_is_audited_once()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(alice);

        var revoked = await engine.Manager.RevokeAsync(actor, issued.Token.Id, None);
        var revokedAt = engine.Now;
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await engine.Manager.RevokeAsync(actor, issued.Token.Id, None);

        Assert.Equal(revokedAt, revoked.Value?.RevokedAt);
        Assert.Equal(revokedAt, again.Value?.RevokedAt);
        Assert.Equal(revokedAt, (await engine.GetAsync(alice, issued.Token.Id)).RevokedAt);
        var entry = Assert.Single(engine.Audit.Entries(AuditActions.TokenRevoked));
        Assert.Equal(new AuditEntry(AuditActions.TokenRevoked, revokedAt, alice.Id, issued.Token.Id, alice.Id, Engine.ClientIp), entry);
    }

    [Fact]
    public async Task The_revocation_time_answered_is_the_one_stored_even_off_the_millisecond()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        engine.Time.Advance(TimeSpan.FromTicks(4321));

        var revoked = await engine.Manager.RevokeAsync(Engine.ActorFor(alice), issued.Token.Id, None);

        Assert.Equal((await engine.GetAsync(alice, issued.Token.Id)).RevokedAt, revoked.Value?.RevokedAt);
    }

    [Fact]
    public async Task The_owner_can_revoke_a_token_by_its_secret()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);

        var result = await engine.Manager.RevokeBySecretAsync(Engine.ActorFor(alice), issued.Secret, None);

        Assert.Equal(issued.Token.Id, result.Value?.Id);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task The_sanctum_form_of_a_secret_revokes_too()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        var result = await engine.Manager.RevokeBySecretAsync(Engine.ActorFor(alice), $"{issued.Token.Id}|{issued.Secret}", None);

        Assert.True(result.Value?.IsRevoked);
    }

    [Fact]
    public async Task Revoking_by_secret_cannot_tell_someone_elses_token_from_no_token()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var mallory = await engine.CreateUserAsync("mallory");
        var issued = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(mallory);

        var someoneElses = await engine.Manager.RevokeBySecretAsync(actor, issued.Secret, None);
        var unknown = await engine.Manager.RevokeBySecretAsync(actor, TokenFormat.Generate("lk_", "k1"), None);
        var unknownKey = await engine.Manager.RevokeBySecretAsync(actor, TokenFormat.Generate("lk_", "zz"), None);
        var malformed = await engine.Manager.RevokeBySecretAsync(actor, "lk_not-a-token", None);
        var nothing = await engine.Manager.RevokeBySecretAsync(actor, null, None);

        Assert.All(new[] { someoneElses, unknown, unknownKey, malformed, nothing }, r => Assert.Equal(TokenError.NotFound, r.Error));
        Assert.True((await engine.ValidateAsync(issued.Secret)).Succeeded);
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenRevoked));
    }

    [Fact]
    public async Task An_administrator_can_revoke_anyones_leaked_token_by_its_secret()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var root = await engine.CreateUserAsync("root", isAdmin: true);
        var issued = await engine.IssueAsync(alice);

        var result = await engine.Manager.RevokeBySecretAsync(Engine.ActorFor(root), issued.Secret, None);

        Assert.True(result.Value?.IsRevoked);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task Revoking_a_token_revokes_the_access_tokens_derived_from_it()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice);
        var access = (await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), null, None)).Value!;
        await engine.AuthenticateAsync(access.Secret);

        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), pat.Token.Id, None);

        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(access.Secret)).Failure);
        Assert.True((await engine.GetAsync(alice, access.Token.Id)).IsRevoked);
    }

    [Fact]
    public async Task Revoking_an_access_token_leaves_its_parent_working()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice);
        var access = (await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), null, None)).Value!;

        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), access.Token.Id, None);

        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(access.Secret)).Failure);
        Assert.True((await engine.ValidateAsync(pat.Secret)).Succeeded);
    }
}

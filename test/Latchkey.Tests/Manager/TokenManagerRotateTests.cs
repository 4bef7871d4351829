using Latchkey.Auditing;
using Latchkey.Policy;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Manager;

public sealed class TokenManagerRotateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Rotating_keeps_what_the_token_is_and_how_long_it_lives()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var created = await engine.CreateAsync(alice, new CreateTokenRequest
        {
            Name = "deploy",
            Description = "pushes releases",
            Scopes = ["write_repository", "read_user"],
            Expiry = TokenExpiry.On(engine.Now.AddDays(10)),
            Attributes = new Dictionary<string, string> { ["team"] = "infra" },
        });
        var old = created.Value!.Token;
        engine.Time.Advance(TimeSpan.FromDays(4));

        var rotated = await engine.Manager.RotateAsync(Engine.ActorFor(alice), old.Id, null, None);

        var token = rotated.Value!.Token;
        Assert.NotEqual(old.Id, token.Id);
        Assert.NotEqual(old.PublicId, token.PublicId);
        Assert.NotEqual(created.Value.Secret, rotated.Value.Secret);
        Assert.Equal(("deploy", "pushes releases", old.Origin), (token.Name, token.Description, token.Origin));
        Assert.Equal(old.Scopes, token.Scopes);
        Assert.Equal("infra", token.Attributes["team"]);
        Assert.Equal(engine.Now, token.CreatedAt);
        Assert.Equal(engine.Now.AddDays(10), token.ExpiresAt);
        Assert.Equal((old.FamilyId, old.Id), (token.FamilyId, token.PreviousId));
    }

    [Fact]
    public async Task After_rotation_the_old_secret_stops_at_once_and_the_new_one_works()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);

        var rotated = await engine.Manager.RotateAsync(Engine.ActorFor(alice), issued.Token.Id, null, None);

        Assert.Equal(rotated.Value!.Token.Id, (await engine.AuthenticateAsync(rotated.Value.Secret)).TokenId);
        var old = await engine.GetAsync(alice, issued.Token.Id);
        Assert.True(old.Rotated);
        Assert.Equal(engine.Now, old.RevokedAt);
    }

    [Fact]
    public async Task A_rotation_can_set_a_new_expiry_within_the_policy()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(alice);

        var tooLong = await engine.Manager.RotateAsync(actor, issued.Token.Id, TokenExpiry.On(engine.Now.AddDays(366)), None);
        var week = await engine.Manager.RotateAsync(actor, issued.Token.Id, TokenExpiry.On(engine.Now.AddDays(7)), None);

        Assert.Equal("expires_at", tooLong.Error?.Field);
        Assert.Equal(engine.Now.AddDays(7), week.Value?.Token.ExpiresAt);
    }

    [Fact]
    public async Task Rotating_an_already_rotated_token_by_id_answers_already_rotated_and_revokes_nothing()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var first = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(alice);
        var second = (await engine.Manager.RotateAsync(actor, first.Token.Id, null, None)).Value!;
        var newest = (await engine.Manager.RotateAsync(actor, second.Token.Id, null, None)).Value!;
        await engine.AuthenticateAsync(newest.Secret);
        var tokensBefore = engine.Tokens.Count;

        var again = await engine.Manager.RotateAsync(actor, first.Token.Id, null, None);

        Assert.Equal(TokenErrorCode.AlreadyRotated, again.Error?.Code);
        Assert.True((await engine.ValidateAsync(newest.Secret)).Succeeded);
        Assert.Equal(tokensBefore, engine.Tokens.Count);
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenReuseDetected));
        Assert.Equal(2, engine.Audit.Entries(AuditActions.TokenRotated).Count);
    }

    [Fact]
    public async Task A_token_that_rotated_itself_and_is_presented_again_within_the_retry_window_is_a_retry()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: ["self_rotate"]);
        var self = await engine.AuthenticateAsync(issued.Secret);
        var successor = (await engine.Manager.RotateAsync(Engine.ActorFor(self), self.TokenId, null, None)).Value!;
        engine.Time.Advance(TimeSpan.FromMinutes(1));

        var verdict = await engine.Manager.JudgeRotatedCredentialAsync(issued.Token.Id, Engine.ClientIp, None);

        Assert.Equal(TokenErrorCode.AlreadyRotated, verdict.Code);
        Assert.True((await engine.GetAsync(alice, issued.Token.Id)).RotatedItself);
        Assert.True((await engine.ValidateAsync(successor.Secret)).Succeeded);
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenReuseDetected));
    }

    [Fact]
    public async Task After_the_retry_window_a_token_that_rotated_itself_is_a_reuse_that_revokes_the_whole_family()
    {
        var engine = new EngineBuilder().ConfigureAllPolicies(o => o.RotationRetryWindow = TimeSpan.FromSeconds(30)).Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: ["self_rotate"]);
        var unrelated = await engine.IssueAsync(alice, "unrelated");
        var self = await engine.AuthenticateAsync(issued.Secret);
        var second = (await engine.Manager.RotateAsync(Engine.ActorFor(self), self.TokenId, null, None)).Value!;
        var newest = (await engine.Manager.RotateAsync(Engine.ActorFor(alice), second.Token.Id, null, None)).Value!;
        await engine.AuthenticateAsync(newest.Secret);
        engine.Time.Advance(TimeSpan.FromSeconds(31));

        var verdict = await engine.Manager.JudgeRotatedCredentialAsync(issued.Token.Id, "203.0.113.66", None);

        Assert.Equal(TokenErrorCode.ReuseDetected, verdict.Code);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(newest.Secret)).Failure);
        Assert.True((await engine.GetAsync(alice, newest.Token.Id)).IsRevoked);
        Assert.False((await engine.GetAsync(alice, newest.Token.Id)).Rotated);
        Assert.True((await engine.ValidateAsync(unrelated.Secret)).Succeeded);
        var audit = Assert.Single(engine.Audit.Entries(AuditActions.TokenReuseDetected));
        Assert.Equal((issued.Token.Id, alice.Id, "203.0.113.66"), (audit.TokenId, audit.SubjectUserId, audit.IpAddress));
    }

    [Fact]
    public async Task A_token_rotated_by_another_credential_is_a_reuse_at_once()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        var successor = (await engine.Manager.RotateAsync(Engine.ActorFor(alice), issued.Token.Id, null, None)).Value!;
        await engine.AuthenticateAsync(successor.Secret);

        var verdict = await engine.Manager.JudgeRotatedCredentialAsync(issued.Token.Id, Engine.ClientIp, None);

        Assert.Equal(TokenErrorCode.ReuseDetected, verdict.Code);
        Assert.False((await engine.GetAsync(alice, issued.Token.Id)).RotatedItself);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(successor.Secret)).Failure);
        Assert.Single(engine.Audit.Entries(AuditActions.TokenReuseDetected));
    }

    [Fact]
    public async Task A_token_that_is_not_rotated_is_never_judged_a_reuse()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        var verdict = await engine.Manager.JudgeRotatedCredentialAsync(issued.Token.Id, Engine.ClientIp, None);

        Assert.Equal(TokenErrorCode.NotFound, verdict.Code);
        Assert.True((await engine.ValidateAsync(issued.Secret)).Succeeded);
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenReuseDetected));
    }

    [Fact]
    public async Task A_token_expiring_at_the_end_of_time_rotates_without_an_error()
    {
        var engine = new EngineBuilder().ConfigurePolicy("sailpoint", o => o.MaximumLifetime = null).Build();
        var alice = await engine.CreateUserAsync("alice");
        var endOfTime = new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero);
        var created = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "forever-ish", Scopes = ["api"], Expiry = TokenExpiry.On(endOfTime), Origin = "sailpoint" });
        engine.Time.Advance(TimeSpan.FromDays(3));

        var rotated = await engine.Manager.RotateAsync(Engine.ActorFor(alice), created.Value!.Token.Id, null, None);

        Assert.True(rotated.Succeeded, rotated.Error?.Message);
        Assert.Equal(endOfTime, rotated.Value.Token.ExpiresAt);
    }

    [Fact]
    public async Task A_token_cannot_rotate_a_token_broader_than_itself()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var target = await engine.IssueAsync(alice, "target", ["api"]);
        var narrow = await engine.AuthenticateAsync((await engine.IssueAsync(alice, "narrow", ["read_api"])).Secret);

        var result = await engine.Manager.RotateAsync(Engine.ActorFor(narrow), target.Token.Id, null, None);

        Assert.Equal(TokenErrorCode.Forbidden, result.Error?.Code);
        Assert.True((await engine.ValidateAsync(target.Secret)).Succeeded);
        Assert.False((await engine.GetAsync(alice, target.Token.Id)).Rotated);
    }

    [Fact]
    public async Task A_token_can_rotate_itself()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: ["read_api", "self_rotate"]);
        var self = await engine.AuthenticateAsync(issued.Secret);

        var rotated = await engine.Manager.RotateAsync(Engine.ActorFor(self), self.TokenId, null, None);

        Assert.True(rotated.Succeeded);
        Assert.Equal(TokenFailure.Rotated, (await engine.ValidateAsync(issued.Secret)).Failure);
        Assert.True((await engine.GetAsync(alice, issued.Token.Id)).RotatedItself);
    }

    [Fact]
    public async Task A_revoked_or_expired_token_cannot_be_rotated()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var revoked = await engine.IssueAsync(alice, "revoked");
        var expiring = await engine.IssueAsync(alice, "expiring", expiry: TokenExpiry.On(engine.Now.AddMinutes(1)));
        var actor = Engine.ActorFor(alice);
        await engine.Manager.RevokeAsync(actor, revoked.Token.Id, None);
        engine.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(TokenErrorCode.Inactive, (await engine.Manager.RotateAsync(actor, revoked.Token.Id, null, None)).Error?.Code);
        Assert.Equal(TokenErrorCode.Inactive, (await engine.Manager.RotateAsync(actor, expiring.Token.Id, null, None)).Error?.Code);
        Assert.Equal(2, engine.Tokens.Count);
    }

    [Fact]
    public async Task Sessions_and_access_tokens_cannot_be_rotated()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var session = await engine.Manager.CreateSessionAsync(alice, null, None);
        var access = await engine.Manager.ExchangeAsync((await engine.IssueAsync(alice)).Token, TimeSpan.FromHours(1), null, None);

        Assert.Equal(TokenError.NotFound, (await engine.Manager.RotateAsync(Engine.ActorFor(alice), session.Token.Id, null, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.RotateAsync(Engine.ActorFor(alice), access.Value!.Token.Id, null, None)).Error);
    }

    [Fact]
    public async Task A_rotation_that_loses_a_race_issues_nothing_and_says_so()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(alice);
        IssuedToken? winner = null;
        engine.Tokens.AfterNextFind(async () => winner = (await engine.Manager.RotateAsync(actor, issued.Token.Id, null, None)).Value);

        var loser = await engine.Manager.RotateAsync(actor, issued.Token.Id, null, None);

        Assert.Equal(TokenErrorCode.Conflict, loser.Error?.Code);
        Assert.NotNull(winner);
        Assert.True((await engine.ValidateAsync(winner.Secret)).Succeeded);
        Assert.Equal(2, engine.Tokens.Count);
    }

    [Fact]
    public async Task Rotating_revokes_the_access_tokens_derived_from_the_old_token()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice);
        var access = (await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), null, None)).Value!;
        await engine.AuthenticateAsync(access.Secret);

        await engine.Manager.RotateAsync(Engine.ActorFor(alice), pat.Token.Id, null, None);

        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(access.Secret)).Failure);
    }

    [Fact]
    public async Task A_dialects_token_is_rotated_under_that_dialects_policy()
    {
        var engine = new EngineBuilder().ConfigurePolicy("gitlab", o => o.Prefix = "glpat-").Build();
        var alice = await engine.CreateUserAsync("alice");
        var created = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "ci", Scopes = ["api"], Origin = "gitlab" });

        var rotated = await engine.Manager.RotateAsync(Engine.ActorFor(alice), created.Value!.Token.Id, null, None);

        Assert.StartsWith("glpat-", rotated.Value!.Secret, StringComparison.Ordinal);
        Assert.Equal("gitlab", rotated.Value.Token.Origin);
    }

    [Fact]
    public async Task A_rotation_is_audited()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        await engine.Manager.RotateAsync(Engine.ActorFor(alice), issued.Token.Id, null, None);

        var entry = Assert.Single(engine.Audit.Entries(AuditActions.TokenRotated));
        Assert.Equal((alice.Id, issued.Token.Id, alice.Id), (entry.ActorUserId, entry.TokenId, entry.SubjectUserId));
    }

    [Fact]
    public async Task A_full_access_token_can_rotate_any_of_its_owners_tokens()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var target = await engine.IssueAsync(alice, "target", ["api"]);
        var full = await engine.AuthenticateAsync((await engine.IssueAsync(alice, "full", [ScopeCatalog.FullAccess])).Secret);

        Assert.True((await engine.Manager.RotateAsync(Engine.ActorFor(full), target.Token.Id, null, None)).Succeeded);
    }
}

using Latchkey.Auditing;
using Latchkey.Policy;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Manager;

public sealed class TokenManagerUpdateTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Narrowing_scopes_bites_on_the_next_request_and_the_secret_keeps_working()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: ["api"]);
        Assert.True((await engine.AuthenticateAsync(issued.Secret)).Granted.Grants("write_repository"));

        var updated = await engine.Manager.UpdateAsync(Engine.ActorFor(alice), issued.Token.Id, new UpdateTokenRequest { Scopes = ["read_api"] }, None);

        Assert.Equal(["read_api"], updated.Value?.Scopes);
        var after = await engine.AuthenticateAsync(issued.Secret);
        Assert.Equal(["read_api"], after.Scopes);
        Assert.False(after.Granted.Grants("write_repository"));
        Assert.True(after.Granted.Grants("read_repository"));
    }

    [Fact]
    public async Task Narrowing_a_pats_scopes_narrows_its_exchanged_access_tokens_on_their_next_request()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice, scopes: ["api"]);
        var access = (await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), null, None)).Value!;
        Assert.True((await engine.AuthenticateAsync(access.Secret)).Granted.Grants("api"));

        await engine.Manager.UpdateAsync(Engine.ActorFor(alice), pat.Token.Id, new UpdateTokenRequest { Scopes = ["read_api"] }, None);

        var after = await engine.AuthenticateAsync(access.Secret);
        Assert.Equal(["read_api"], after.Scopes);
        Assert.False(after.Granted.Grants("api"));
    }

    [Theory]
    [InlineData("read_api", "api")]
    [InlineData("read_api", "write_repository")]
    [InlineData("write_repository", "read_api")]
    [InlineData("api", "*")]
    public async Task Scopes_can_only_be_narrowed(string held, string asked)
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: [held]);

        var result = await engine.Manager.UpdateAsync(Engine.ActorFor(alice), issued.Token.Id, new UpdateTokenRequest { Scopes = [asked] }, None);

        Assert.Equal("scopes", result.Error?.Field);
        Assert.Equal(TokenErrorReason.ScopesNotNarrowed, result.Error?.Reason);
        Assert.Equal([held], (await engine.AuthenticateAsync(issued.Secret)).Scopes);
    }

    [Fact]
    public async Task A_token_cannot_give_another_token_scopes_it_does_not_hold_itself()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var target = await engine.IssueAsync(alice, "target", ["api"]);
        var readOnly = await engine.AuthenticateAsync((await engine.IssueAsync(alice, "ro", ["read_user"])).Secret);

        var result = await engine.Manager.UpdateAsync(Engine.ActorFor(readOnly), target.Token.Id, new UpdateTokenRequest { Scopes = ["read_api"] }, None);

        Assert.Equal("scopes", result.Error?.Field);
        Assert.Equal(TokenErrorReason.ScopeBeyondCeiling, result.Error?.Reason);
    }

    [Fact]
    public async Task Name_and_description_change_and_what_is_not_asked_stays()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var created = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "ci", Description = "old", Scopes = ["api"] });
        var id = created.Value!.Token.Id;
        var actor = Engine.ActorFor(alice);

        var renamed = await engine.Manager.UpdateAsync(actor, id, new UpdateTokenRequest { Name = "deploy" }, None);
        Assert.Equal(("deploy", "old"), (renamed.Value?.Name, renamed.Value?.Description));

        var described = await engine.Manager.UpdateAsync(actor, id, new UpdateTokenRequest { Description = "new", DescriptionSet = true }, None);
        Assert.Equal(("deploy", "new"), (described.Value?.Name, described.Value?.Description));

        var cleared = await engine.Manager.UpdateAsync(actor, id, new UpdateTokenRequest { Description = null, DescriptionSet = true }, None);
        Assert.Null(cleared.Value?.Description);

        var stored = await engine.GetAsync(alice, id);
        Assert.Equal(("deploy", null, created.Value.Token.ExpiresAt), (stored.Name, stored.Description, stored.ExpiresAt));
        Assert.Equal(["api"], stored.Scopes);
    }

    [Fact]
    public async Task A_shorter_expiry_bites_on_the_next_request()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);

        var updated = await engine.Manager.UpdateAsync(Engine.ActorFor(alice), issued.Token.Id, new UpdateTokenRequest { Expiry = TokenExpiry.On(engine.Now.AddHours(1)) }, None);
        Assert.Equal(engine.Now.AddHours(1), updated.Value?.ExpiresAt);

        engine.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task A_new_expiry_follows_the_same_rules_as_at_creation()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(alice);

        var tooLong = await engine.Manager.UpdateAsync(actor, issued.Token.Id, new UpdateTokenRequest { Expiry = TokenExpiry.On(engine.Now.AddDays(366)) }, None);
        var past = await engine.Manager.UpdateAsync(actor, issued.Token.Id, new UpdateTokenRequest { Expiry = TokenExpiry.On(engine.Now.AddSeconds(-1)) }, None);
        var never = await engine.Manager.UpdateAsync(actor, issued.Token.Id, new UpdateTokenRequest { Expiry = TokenExpiry.Never(false) }, None);

        Assert.Equal(["expires_at", "expires_at", "expires_at"], new[] { tooLong, past, never }.Select(r => r.Error?.Field));
        Assert.Equal(
            [TokenErrorReason.ExpiryBeyondMaximum, TokenErrorReason.ExpiryInPast, TokenErrorReason.NeverExpiringNotAcknowledged],
            new[] { tooLong, past, never }.Select(r => r.Error!.Reason));
        Assert.Equal(engine.Now.AddDays(365), tooLong.Error!.LatestExpiry);
        Assert.Equal(issued.Token.ExpiresAt, (await engine.GetAsync(alice, issued.Token.Id)).ExpiresAt);
    }

    [Fact]
    public async Task An_invalid_name_is_refused_and_nothing_changes()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        var result = await engine.Manager.UpdateAsync(Engine.ActorFor(alice), issued.Token.Id, new UpdateTokenRequest { Name = " ", Scopes = ["read_api"] }, None);

        Assert.Equal("name", result.Error?.Field);
        Assert.Equal(TokenErrorReason.NameMissing, result.Error?.Reason);
        var stored = await engine.GetAsync(alice, issued.Token.Id);
        Assert.Equal(("ci", "api"), (stored.Name, Assert.Single(stored.Scopes)));
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenUpdated));
    }

    [Fact]
    public async Task Renaming_onto_a_name_already_in_use_is_refused_when_names_must_be_unique()
    {
        var engine = new EngineBuilder().ConfigurePolicy(o => o.UniqueNamesPerUser = true).Build();
        var alice = await engine.CreateUserAsync("alice");
        await engine.IssueAsync(alice, "ci");
        var other = await engine.IssueAsync(alice, "deploy");
        var actor = Engine.ActorFor(alice);

        var clash = await engine.Manager.UpdateAsync(actor, other.Token.Id, new UpdateTokenRequest { Name = "ci" }, None);
        var same = await engine.Manager.UpdateAsync(actor, other.Token.Id, new UpdateTokenRequest { Name = "deploy", Description = "unchanged name", DescriptionSet = true }, None);

        Assert.Equal(TokenErrorCode.NameTaken, clash.Error?.Code);
        Assert.Equal("name", clash.Error?.Field);
        Assert.Equal("deploy", (await engine.GetAsync(alice, other.Token.Id)).Name);
        Assert.True(same.Succeeded);
    }

    [Fact]
    public async Task Of_concurrent_renames_onto_one_name_exactly_one_succeeds()
    {
        var engine = new EngineBuilder().ConfigurePolicy(o => o.UniqueNamesPerUser = true).Build();
        var alice = await engine.CreateUserAsync("alice");
        var tokens = new List<IssuedToken>();
        for (var i = 0; i < 10; i++)
        {
            tokens.Add(await engine.IssueAsync(alice, $"token {i}"));
        }

        var actor = Engine.ActorFor(alice);
        var results = await Task.WhenAll(tokens.Select(t => Task.Run(() => engine.Manager.UpdateAsync(actor, t.Token.Id, new UpdateTokenRequest { Name = "wanted" }, None))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal((TokenErrorCode.NameTaken, "name"), (r.Error!.Code, r.Error.Field)));
        Assert.Single(engine.Audit.Entries(AuditActions.TokenUpdated));
    }

    [Fact]
    public async Task A_revoked_or_expired_token_cannot_be_changed()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var revoked = await engine.IssueAsync(alice, "revoked");
        var expiring = await engine.IssueAsync(alice, "expiring", expiry: TokenExpiry.On(engine.Now.AddMinutes(5)));
        var actor = Engine.ActorFor(alice);
        await engine.Manager.RevokeAsync(actor, revoked.Token.Id, None);
        engine.Time.Advance(TimeSpan.FromMinutes(5));

        var onRevoked = await engine.Manager.UpdateAsync(actor, revoked.Token.Id, new UpdateTokenRequest { Name = "back" }, None);
        var onExpired = await engine.Manager.UpdateAsync(actor, expiring.Token.Id, new UpdateTokenRequest { Expiry = TokenExpiry.On(engine.Now.AddDays(1)) }, None);

        Assert.Equal(TokenErrorCode.Inactive, onRevoked.Error?.Code);
        Assert.Equal(TokenErrorCode.Inactive, onExpired.Error?.Code);
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(expiring.Secret)).Failure);
    }

    [Fact]
    public async Task A_session_or_a_derived_access_token_cannot_be_given_a_longer_life()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var session = await engine.Manager.CreateSessionAsync(alice, Engine.ClientIp, None);
        var pat = await engine.IssueAsync(alice);
        var access = await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(1), Engine.ClientIp, None);
        var actor = Engine.ActorFor(alice);
        var forever = new UpdateTokenRequest { Expiry = TokenExpiry.Never(acknowledged: true) };

        var onSession = await engine.Manager.UpdateAsync(actor, session.Token.Id, forever, None);
        var onAccess = await engine.Manager.UpdateAsync(actor, access.Value!.Token.Id, forever, None);

        Assert.Equal(TokenError.NotFound, onSession.Error);
        Assert.Equal(TokenError.NotFound, onAccess.Error);
        engine.Time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(session.Secret)).Failure);
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(access.Value.Secret)).Failure);
    }

    [Fact]
    public async Task Bringing_a_tokens_expiry_forward_bites_on_its_access_tokens_on_their_next_request()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var pat = await engine.IssueAsync(alice);
        var access = (await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromHours(12), Engine.ClientIp, None)).Value!;
        await engine.AuthenticateAsync(access.Secret);

        var updated = await engine.Manager.UpdateAsync(Engine.ActorFor(alice), pat.Token.Id, new UpdateTokenRequest { Expiry = TokenExpiry.On(engine.Now.AddHours(1)) }, None);

        Assert.True(updated.Succeeded);
        Assert.Equal(engine.Now.AddHours(1), (await engine.AuthenticateAsync(access.Secret)).ExpiresAt);
        engine.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(access.Secret)).Failure);
    }

    [Fact]
    public async Task A_change_is_audited()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        await engine.Manager.UpdateAsync(Engine.ActorFor(alice), issued.Token.Id, new UpdateTokenRequest { Name = "renamed" }, None);

        var entry = Assert.Single(engine.Audit.Entries(AuditActions.TokenUpdated));
        Assert.Equal(new AuditEntry(AuditActions.TokenUpdated, engine.Now, alice.Id, issued.Token.Id, alice.Id, Engine.ClientIp), entry);
    }

    [Fact]
    public async Task A_change_is_judged_by_the_policy_the_token_was_made_under()
    {
        var engine = new EngineBuilder().ConfigurePolicy("unleash", o => o.AllowedScopes = ["*", "read_api"]).Build();
        var alice = await engine.CreateUserAsync("alice");
        var unleash = await engine.CreateAsync(alice, new CreateTokenRequest { Name = "made by unleash", Scopes = ["read_api"], Origin = "unleash" });
        var native = await engine.IssueAsync(alice, scopes: ["read_api"]);

        var result = await engine.Manager.UpdateAsync(Engine.ActorFor(alice), unleash.Value!.Token.Id, new UpdateTokenRequest { Scopes = ["read_user"] }, None);
        var allowed = await engine.Manager.UpdateAsync(Engine.ActorFor(alice), native.Token.Id, new UpdateTokenRequest { Scopes = ["read_user"] }, None);

        Assert.Equal("scopes", result.Error?.Field);
        Assert.Contains("allowed", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal((TokenErrorReason.ScopeNotAllowed, "read_user"), (result.Error.Reason, result.Error.Scope));
        Assert.True(allowed.Succeeded, allowed.Error?.Message);
    }

    [Fact]
    public async Task A_native_tokens_expiry_cannot_pass_the_native_maximum_through_a_dialect_without_one()
    {
        var engine = new EngineBuilder().ConfigurePolicy("sailpoint", o => o.MaximumLifetime = null).ConfigurePolicy(o => o.AllowNeverExpiring = false).Build();
        var alice = await engine.CreateUserAsync("alice");
        var native = await engine.IssueAsync(alice, scopes: ["api"]);
        var actor = Engine.ActorFor(alice);

        var farFuture = await engine.Manager.UpdateAsync(actor, native.Token.Id, new UpdateTokenRequest { Expiry = TokenExpiry.On(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)) }, None);
        var never = await engine.Manager.UpdateAsync(actor, native.Token.Id, new UpdateTokenRequest { Expiry = TokenExpiry.Never(acknowledged: true) }, None);

        Assert.Equal(TokenErrorReason.ExpiryBeyondMaximum, farFuture.Error?.Reason);
        Assert.Equal(TokenErrorReason.NeverExpiringNotAllowed, never.Error?.Reason);
        Assert.Equal(native.Token.ExpiresAt, (await engine.GetAsync(alice, native.Token.Id)).ExpiresAt);
    }

    [Theory]
    [InlineData("expiry")]
    [InlineData("never")]
    [InlineData("name")]
    [InlineData("description")]
    [InlineData("scopes")]
    public async Task A_token_cannot_change_a_token_whose_scopes_it_does_not_cover(string change)
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var full = await engine.IssueAsync(alice, "full", [ScopeCatalog.FullAccess]);
        var api = await engine.AuthenticateAsync((await engine.IssueAsync(alice, "api", ["api"])).Secret);
        var request = change switch
        {
            "expiry" => new UpdateTokenRequest { Expiry = TokenExpiry.On(engine.Now.AddDays(300)) },
            "never" => new UpdateTokenRequest { Expiry = TokenExpiry.Never(acknowledged: true) },
            "name" => new UpdateTokenRequest { Name = "renamed" },
            "description" => new UpdateTokenRequest { Description = "changed", DescriptionSet = true },
            _ => new UpdateTokenRequest { Scopes = ["read_api"] },
        };

        var result = await engine.Manager.UpdateAsync(Engine.ActorFor(api), full.Token.Id, request, None);

        Assert.Equal(TokenErrorCode.Forbidden, result.Error?.Code);
        Assert.Equal(full.Token, await engine.GetAsync(alice, full.Token.Id));
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenUpdated));
    }

    [Fact]
    public async Task A_token_may_still_change_and_revoke_tokens_it_covers_and_revoke_broader_ones()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var full = await engine.IssueAsync(alice, "full", [ScopeCatalog.FullAccess]);
        var narrow = await engine.IssueAsync(alice, "narrow", ["read_api"]);
        var api = await engine.AuthenticateAsync((await engine.IssueAsync(alice, "api", ["api"])).Secret);

        var renamed = await engine.Manager.UpdateAsync(Engine.ActorFor(api), narrow.Token.Id, new UpdateTokenRequest { Name = "renamed" }, None);
        var revoked = await engine.Manager.RevokeAsync(Engine.ActorFor(api), full.Token.Id, None);

        Assert.Equal("renamed", renamed.Value?.Name);
        Assert.True(revoked.Value?.IsRevoked);
    }
    [Fact]
    public async Task Full_access_is_narrowed_to_named_scopes()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: [ScopeCatalog.FullAccess]);

        await engine.Manager.UpdateAsync(Engine.ActorFor(alice), issued.Token.Id, new UpdateTokenRequest { Scopes = ["read_user"] }, None);

        var after = await engine.AuthenticateAsync(issued.Secret);
        Assert.False(after.Granted.IsFullAccess);
        Assert.False(after.Granted.Grants("read_api"));
    }
}

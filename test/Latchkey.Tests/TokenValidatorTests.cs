using Latchkey.Auditing;
using Latchkey.Policy;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests;

public sealed class TokenValidatorTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_valid_token_authenticates_as_its_owner_with_its_scopes()
    {
        var engine = new EngineBuilder().Build();
        var root = await engine.CreateUserAsync("root", isAdmin: true);
        var issued = await engine.IssueAsync(root, "deploy", ["write_repository", "read_user"]);

        var result = await engine.ValidateAsync(issued.Secret);

        Assert.Equal(TokenFailure.None, result.Failure);
        var token = result.Token!;
        Assert.Equal((issued.Token.Id, issued.Token.PublicId, "deploy"), (token.TokenId, token.PublicId, token.Name));
        Assert.Equal((root.Id, "root", true), (token.UserId, token.Username, token.IsAdmin));
        Assert.Equal(["write_repository", "read_user"], token.Scopes);
        Assert.True(token.Granted.Grants("read_repository"));
        Assert.False(token.Granted.Grants("read_api"));
        Assert.Equal((TokenKind.Personal, TokenOrigins.Native, issued.Token.ExpiresAt), (token.Kind, token.Origin, token.ExpiresAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("password")]
    [InlineData("lk_0000000000000000000000000000000000000000")]
    public async Task A_malformed_credential_is_refused_without_reaching_the_store(string? presented)
    {
        var engine = new EngineBuilder().Build();

        var result = await engine.ValidateAsync(presented);

        Assert.Equal(TokenFailure.Malformed, result.Failure);
        Assert.Null(result.Token);
        Assert.Equal(0, engine.Tokens.FindByHashCalls);
    }

    [Fact]
    public async Task A_mistyped_token_is_refused_without_reaching_the_store()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        var typo = issued.Secret[..10] + (issued.Secret[10] == 'a' ? 'b' : 'a') + issued.Secret[11..];

        Assert.Equal(TokenFailure.Malformed, (await engine.ValidateAsync(typo)).Failure);
        Assert.Equal(0, engine.Tokens.FindByHashCalls);
    }

    [Fact]
    public async Task A_well_formed_token_nobody_issued_is_unknown()
    {
        var engine = new EngineBuilder().Build();

        var result = await engine.ValidateAsync(TokenFormat.Generate("lk_", "k1"));

        Assert.Equal(TokenFailure.Unknown, result.Failure);
        Assert.Equal(1, engine.Tokens.FindByHashCalls);
    }

    [Fact]
    public async Task A_token_naming_a_key_this_server_does_not_hold_is_refused_without_reaching_the_store()
    {
        var engine = new EngineBuilder().Build();

        var result = await engine.ValidateAsync(TokenFormat.Generate("lk_", "zz"));

        Assert.Equal(TokenFailure.UnknownKey, result.Failure);
        Assert.Equal(0, engine.Tokens.FindByHashCalls);
    }

    [Fact]
    public async Task Live_tokens_keep_working_when_a_new_hashing_key_becomes_current()
    {
        var k1 = EngineBuilder.NewKey();
        var engine = new EngineBuilder().WithKeys(new TokenKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = k1 })).Build();
        var alice = await engine.CreateUserAsync("alice");
        var old = await engine.IssueAsync(alice, "old");

        var restarted = engine.RestartWith(new TokenKeyRing("k2", new Dictionary<string, byte[]> { ["k1"] = k1, ["k2"] = EngineBuilder.NewKey() }));
        var fresh = await restarted.IssueAsync(alice, "fresh");

        Assert.Equal(old.Token.Id, (await restarted.AuthenticateAsync(old.Secret)).TokenId);
        Assert.Equal(fresh.Token.Id, (await restarted.AuthenticateAsync(fresh.Secret)).TokenId);
        Assert.True(TokenFormat.TryParse(fresh.Secret, out var parsed));
        Assert.Equal("k2", parsed.KeyId.ToString());

        var withoutK1 = engine.RestartWith(new TokenKeyRing("k2", new Dictionary<string, byte[]> { ["k2"] = EngineBuilder.NewKey() }));
        Assert.Equal(TokenFailure.UnknownKey, (await withoutK1.ValidateAsync(old.Secret)).Failure);
    }

    [Fact]
    public async Task A_token_with_the_same_key_id_but_another_key_behind_it_is_unknown()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        var wrongKey = engine.RestartWith(EngineBuilder.NewKeyRing("k1"));

        Assert.Equal(TokenFailure.Unknown, (await wrongKey.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task A_token_works_until_the_second_it_expires()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var expiresAt = engine.Now.AddHours(1);
        var issued = await engine.IssueAsync(alice, expiry: TokenExpiry.On(expiresAt));
        await engine.AuthenticateAsync(issued.Secret);

        engine.Time.UtcNow = expiresAt.AddSeconds(-1);
        Assert.True((await engine.ValidateAsync(issued.Secret)).Succeeded);

        engine.Time.UtcNow = expiresAt;
        Assert.Equal(TokenFailure.Expired, (await engine.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task Revoked_token_is_rejected_on_the_next_request()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);
        await engine.AuthenticateAsync(issued.Secret);
        Assert.Equal(1, engine.Tokens.FindByHashCalls);

        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), issued.Token.Id, None);

        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task A_lookup_that_races_a_revocation_cannot_put_the_live_token_back_in_the_cache()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        // The store has read the row (still live) when the revocation lands, before the validator caches it.
        engine.Tokens.AfterNextFindByHash(() => engine.Manager.RevokeAsync(Engine.ActorFor(alice), issued.Token.Id, None));
        var racing = await engine.ValidateAsync(issued.Secret);

        Assert.True(racing.Succeeded);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(issued.Secret)).Failure);
        Assert.Equal(2, engine.Tokens.FindByHashCalls);
    }

    [Fact]
    public async Task A_rotated_away_token_is_refused_as_rotated_and_nothing_else_happens()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var first = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(alice);
        var second = (await engine.Manager.RotateAsync(actor, first.Token.Id, null, None)).Value!;
        var newest = (await engine.Manager.RotateAsync(actor, second.Token.Id, null, None)).Value!;
        await engine.AuthenticateAsync(newest.Secret);

        var stale = await engine.ValidateAsync(first.Secret, "203.0.113.66");
        var staleAgain = await engine.ValidateAsync(first.Secret, "203.0.113.66");

        Assert.Equal((TokenFailure.Rotated, (long?)first.Token.Id), (stale.Failure, stale.RefusedTokenId));
        Assert.Equal(TokenFailure.Rotated, staleAgain.Failure);
        Assert.Null(stale.Token);
        Assert.Equal(TokenFailure.Rotated, (await engine.ValidateAsync(second.Secret)).Failure);
        Assert.True((await engine.ValidateAsync(newest.Secret)).Succeeded);
        Assert.False((await engine.GetAsync(alice, newest.Token.Id)).IsRevoked);
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenReuseDetected));
    }

    [Fact]
    public async Task A_token_revoked_but_not_rotated_does_not_take_its_family_with_it()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var first = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(alice);
        var second = (await engine.Manager.RotateAsync(actor, first.Token.Id, null, None)).Value!;
        var third = (await engine.Manager.RotateAsync(actor, second.Token.Id, null, None)).Value!;
        await engine.Manager.RevokeAsync(actor, third.Token.Id, None);
        var fourth = await engine.IssueAsync(alice, "unrelated");

        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(third.Secret)).Failure);
        Assert.True((await engine.ValidateAsync(fourth.Secret)).Succeeded);
        Assert.Empty(engine.Audit.Entries(AuditActions.TokenReuseDetected));
    }

    [Fact]
    public async Task Sanctum_form_is_accepted_only_with_the_tokens_own_id()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        var other = await engine.IssueAsync(alice, "other");
        await engine.AuthenticateAsync(issued.Secret);

        Assert.Equal(issued.Token.Id, (await engine.AuthenticateAsync($"{issued.Token.Id}|{issued.Secret}")).TokenId);
        Assert.Equal(TokenFailure.IdMismatch, (await engine.ValidateAsync($"{other.Token.Id}|{issued.Secret}")).Failure);
        Assert.Equal(TokenFailure.IdMismatch, (await engine.ValidateAsync($"999|{issued.Secret}")).Failure);
    }

    [Fact]
    public async Task A_blocked_users_tokens_are_refused()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        await engine.BlockAsync(alice);

        Assert.Equal(TokenFailure.OwnerInactive, (await engine.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task Blocking_a_user_bites_on_the_next_request_because_the_block_drops_their_cache_entries()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var bob = await engine.CreateUserAsync("bob");
        var alices = await engine.IssueAsync(alice);
        var bobs = await engine.IssueAsync(bob);
        await engine.AuthenticateAsync(alices.Secret);
        await engine.AuthenticateAsync(bobs.Secret);

        await engine.BlockAsync(alice);

        Assert.Equal(TokenFailure.OwnerInactive, (await engine.ValidateAsync(alices.Secret)).Failure);
        Assert.True((await engine.ValidateAsync(bobs.Secret)).Succeeded);
        Assert.Equal(3, engine.Tokens.FindByHashCalls);
    }

    [Fact]
    public async Task A_cache_hit_does_not_touch_the_store()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        for (var i = 0; i < 20; i++)
        {
            await engine.AuthenticateAsync(issued.Secret, $"192.0.2.{i % 3}");
        }

        Assert.Equal(1, engine.Tokens.FindByHashCalls);
        Assert.Equal(1, engine.Cache.Count);
    }

    [Fact]
    public async Task Refusals_are_not_cached_as_successes()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), issued.Token.Id, None);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(issued.Secret)).Failure);
        }
    }

    [Fact]
    public async Task Many_concurrent_requests_with_one_token_all_succeed()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () => await engine.ValidateAsync(issued.Secret, $"192.0.2.{i % 7}"))));

        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public async Task Full_access_passes_through_to_the_authenticated_token()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");

        var token = await engine.AuthenticateAsync((await engine.IssueAsync(alice, scopes: [ScopeCatalog.FullAccess])).Secret);

        Assert.True(token.Granted.Grants("anything"));
        Assert.False(token.IsAdmin);
    }
}

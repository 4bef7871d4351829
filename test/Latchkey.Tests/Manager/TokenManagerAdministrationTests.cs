using Latchkey.Stores;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Manager;

/// <summary>What administrators' pages ask of the manager: whose a leaked secret is, and every user's tokens with their owner.</summary>
public sealed class TokenManagerAdministrationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_administrator_finds_whose_a_secret_is_with_its_last_use_and_nothing_is_revoked()
    {
        var engine = new EngineBuilder().Build();
        var admin = await engine.CreateUserAsync("root", isAdmin: true);
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, "leaked");
        await engine.AuthenticateAsync(issued.Secret, "203.0.113.9");

        var found = await engine.Manager.FindBySecretAsync(Engine.ActorFor(admin), issued.Secret, None);

        Assert.True(found.Succeeded);
        Assert.Equal(issued.Token.Id, found.Value.Token.Id);
        Assert.Equal(new TokenOwner(alice.Id, "alice", false, true), found.Value.Owner);
        Assert.Equal(["203.0.113.9"], found.Value.Token.LastUsedIps);
        Assert.NotNull(found.Value.Token.LastUsedAt);
        Assert.Equal(TokenFailure.None, (await engine.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task Unknown_malformed_and_out_of_reach_secrets_are_all_not_found()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var bob = await engine.CreateUserAsync("bob");
        var bobs = await engine.IssueAsync(bob);
        var unknown = bobs.Secret[..^1] + (bobs.Secret[^1] == 'a' ? 'b' : 'a');

        foreach (var secret in new string?[] { bobs.Secret, unknown, "not a token", "", null })
        {
            var result = await engine.Manager.FindBySecretAsync(Engine.ActorFor(alice), secret, None);
            Assert.Equal(TokenErrorCode.NotFound, result.Error?.Code);
        }
    }

    [Fact]
    public async Task Every_users_tokens_are_listed_with_their_owner_for_administrators_and_only_ones_own_for_others()
    {
        var engine = new EngineBuilder().Build();
        var admin = await engine.CreateUserAsync("root", isAdmin: true);
        var alice = await engine.CreateUserAsync("alice");
        var bob = await engine.CreateUserAsync("bob");
        await engine.IssueAsync(alice, "alice's");
        await engine.IssueAsync(bob, "bob's");
        await engine.BlockAsync(bob);
        var query = new TokenQuery { Sort = TokenSort.NameAsc };

        var all = await engine.Manager.ListWithOwnersAsync(Engine.ActorFor(admin), query, None);
        var ofBob = await engine.Manager.ListWithOwnersAsync(Engine.ActorFor(admin), query with { OwnerUsername = "BOB" }, None);
        var alicesView = await engine.Manager.ListWithOwnersAsync(Engine.ActorFor(alice), query, None);
        var aliceAsksForBob = await engine.Manager.ListWithOwnersAsync(Engine.ActorFor(alice), query with { OwnerUsername = "bob" }, None);

        Assert.Equal([("alice's", "alice"), ("bob's", "bob")], all.Items.Select(o => (o.Token.Name, o.Owner.Username)));
        Assert.False(Assert.Single(ofBob.Items).Owner.IsActive);
        Assert.Equal(["alice's"], alicesView.Items.Select(o => o.Token.Name));
        Assert.Empty(aliceAsksForBob.Items);
    }
}

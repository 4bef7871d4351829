using Latchkey.Auditing;
using Latchkey.Policy;
using Latchkey.Stores;
using Latchkey.Tests.Fakes;

namespace Latchkey.Tests.Manager;

public sealed class TokenManagerVisibilityTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Someone_elses_token_answers_exactly_like_a_token_that_does_not_exist()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var mallory = await engine.CreateUserAsync("mallory");
        var issued = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(mallory);
        const long missing = 9999;

        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(actor, issued.Token.Id, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(actor, missing, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetByPublicIdAsync(actor, issued.Token.PublicId, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetByPublicIdAsync(actor, "0123456789abcdef0123456789abcdef", None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.UpdateAsync(actor, issued.Token.Id, new UpdateTokenRequest { Name = "mine" }, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.UpdateAsync(actor, missing, new UpdateTokenRequest { Name = "mine" }, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.RotateAsync(actor, issued.Token.Id, null, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.RotateAsync(actor, missing, null, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.RevokeAsync(actor, issued.Token.Id, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.RevokeAsync(actor, missing, None)).Error);

        var untouched = await engine.GetAsync(alice, issued.Token.Id);
        Assert.Equal("ci", untouched.Name);
        Assert.False(untouched.IsRevoked);
        Assert.True((await engine.ValidateAsync(issued.Secret)).Succeeded);
        Assert.Equal([AuditActions.TokenCreated], engine.Audit.Events.Select(e => e.Entry.Action));
    }

    [Fact]
    public async Task An_administrator_can_see_change_and_revoke_anyones_token()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var root = await engine.CreateUserAsync("root", isAdmin: true);
        var issued = await engine.IssueAsync(alice);
        var actor = Engine.ActorFor(root);

        Assert.Equal(issued.Token.Id, (await engine.Manager.GetAsync(actor, issued.Token.Id, None)).Value?.Id);
        Assert.Equal(issued.Token.Id, (await engine.Manager.GetByPublicIdAsync(actor, issued.Token.PublicId, None)).Value?.Id);
        Assert.Equal("audited", (await engine.Manager.UpdateAsync(actor, issued.Token.Id, new UpdateTokenRequest { Name = "audited" }, None)).Value?.Name);
        Assert.True((await engine.Manager.RevokeAsync(actor, issued.Token.Id, None)).Value?.IsRevoked);

        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(issued.Secret)).Failure);
        var revoked = Assert.Single(engine.Audit.Entries(AuditActions.TokenRevoked));
        Assert.Equal((root.Id, alice.Id), (revoked.ActorUserId, revoked.SubjectUserId));
    }

    [Fact]
    public async Task A_user_lists_only_their_own_tokens_whatever_the_query_asks()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var bob = await engine.CreateUserAsync("bob");
        await engine.IssueAsync(alice, "a1");
        await engine.IssueAsync(alice, "a2");
        await engine.IssueAsync(bob, "b1");

        var own = await engine.Manager.ListAsync(Engine.ActorFor(alice), new TokenQuery(), None);
        var asksForBob = await engine.Manager.ListAsync(Engine.ActorFor(alice), new TokenQuery { UserId = bob.Id }, None);

        Assert.Equal(["a2", "a1"], own.Items.Select(t => t.Name));
        Assert.Equal(2, own.Total);
        Assert.Equal(["a2", "a1"], asksForBob.Items.Select(t => t.Name));
    }

    [Fact]
    public async Task An_administrator_lists_everyones_tokens_or_one_users()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var root = await engine.CreateUserAsync("root", isAdmin: true);
        await engine.IssueAsync(alice, "a1");
        await engine.IssueAsync(root, "r1");

        var everyone = await engine.Manager.ListAsync(Engine.ActorFor(root), new TokenQuery(), None);
        var alices = await engine.Manager.ListAsync(Engine.ActorFor(root), new TokenQuery { UserId = alice.Id }, None);

        Assert.Equal(["r1", "a1"], everyone.Items.Select(t => t.Name));
        Assert.Equal(["a1"], alices.Items.Select(t => t.Name));
    }

    [Fact]
    public async Task Listing_active_tokens_is_judged_on_the_managers_clock()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        await engine.IssueAsync(alice, "short", expiry: TokenExpiry.On(engine.Now.AddHours(1)));
        await engine.IssueAsync(alice, "long");
        var revoked = await engine.IssueAsync(alice, "revoked");
        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), revoked.Token.Id, None);

        var activeNow = await engine.Manager.ListAsync(Engine.ActorFor(alice), new TokenQuery { Active = true }, None);
        engine.Time.Advance(TimeSpan.FromHours(1));
        var activeLater = await engine.Manager.ListAsync(Engine.ActorFor(alice), new TokenQuery { Active = true }, None);
        var inactiveLater = await engine.Manager.ListAsync(Engine.ActorFor(alice), new TokenQuery { Active = false }, None);

        Assert.Equal(["long", "short"], activeNow.Items.Select(t => t.Name));
        Assert.Equal(["long"], activeLater.Items.Select(t => t.Name));
        Assert.Equal(["revoked", "short"], inactiveLater.Items.Select(t => t.Name));
    }

    [Fact]
    public async Task Sessions_are_not_listed_as_personal_access_tokens()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        await engine.Manager.CreateSessionAsync(alice, Engine.ClientIp, None);
        await engine.IssueAsync(alice, "pat");

        var listed = await engine.Manager.ListAsync(Engine.ActorFor(alice), new TokenQuery(), None);

        Assert.Equal(["pat"], listed.Items.Select(t => t.Name));
    }
}

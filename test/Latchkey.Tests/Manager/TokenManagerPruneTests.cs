using Latchkey.Policy;
using Latchkey.Tests.Fakes;

namespace Latchkey.Tests.Manager;

public sealed class TokenManagerPruneTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Pruning_deletes_only_tokens_dead_for_longer_than_the_retention()
    {
        var engine = new EngineBuilder().Configure(o => o.Retention = TimeSpan.FromDays(90)).Build();
        var alice = await engine.CreateUserAsync("alice");
        var actor = Engine.ActorFor(alice);
        var revokedEarly = await engine.IssueAsync(alice, "revoked early");
        var expiredEarly = await engine.IssueAsync(alice, "expired early", expiry: TokenExpiry.On(engine.Now.AddDays(1)));
        var revokedLate = await engine.IssueAsync(alice, "revoked late");
        var live = await engine.IssueAsync(alice, "live", expiry: TokenExpiry.Never(acknowledged: true));
        await engine.Manager.RevokeAsync(actor, revokedEarly.Token.Id, None);
        engine.Time.Advance(TimeSpan.FromDays(2));
        await engine.Manager.RevokeAsync(actor, revokedLate.Token.Id, None);

        // Day 91: only the token revoked on day 0 is more than 90 days dead (the other expired on day 1).
        engine.Time.Advance(TimeSpan.FromDays(89));
        var firstPass = await engine.Manager.PruneAsync(None);
        Assert.True((await engine.Manager.GetAsync(actor, expiredEarly.Token.Id, None)).Succeeded);
        engine.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(1));
        var secondPass = await engine.Manager.PruneAsync(None);

        Assert.Equal(1, firstPass);
        Assert.Equal(2, secondPass);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(actor, revokedEarly.Token.Id, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(actor, expiredEarly.Token.Id, None)).Error);
        Assert.Equal(TokenError.NotFound, (await engine.Manager.GetAsync(actor, revokedLate.Token.Id, None)).Error);
        Assert.True((await engine.ValidateAsync(live.Secret)).Succeeded);
    }

    [Fact]
    public async Task A_token_dead_exactly_as_long_as_the_retention_is_kept()
    {
        var engine = new EngineBuilder().Configure(o => o.Retention = TimeSpan.FromDays(90)).Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.Manager.RevokeAsync(Engine.ActorFor(alice), issued.Token.Id, None);

        engine.Time.Advance(TimeSpan.FromDays(90));
        Assert.Equal(0, await engine.Manager.PruneAsync(None));
        engine.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await engine.Manager.PruneAsync(None));
    }
}

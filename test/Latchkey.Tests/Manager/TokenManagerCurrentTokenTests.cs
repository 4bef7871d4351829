using Latchkey.Tests.Fakes;

namespace Latchkey.Tests.Manager;

public sealed class TokenManagerCurrentTokenTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_current_token_is_answered_from_the_cache_without_reading_the_store()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: ["api"]);
        var authenticated = await engine.AuthenticateAsync(issued.Secret);
        var storeRead = false;
        engine.Tokens.AfterNextFind(() =>
        {
            storeRead = true;
            return Task.CompletedTask;
        });

        var current = await engine.Manager.GetCurrentAsync(authenticated, None);

        Assert.False(storeRead);
        Assert.Equal(issued.Token.Id, current.Value!.Id);
        Assert.Equal(issued.Token.Name, current.Value.Name);
        Assert.Equal(engine.Now, current.Value.LastUsedAt);
        Assert.Equal([Engine.ClientIp], current.Value.LastUsedIps);
    }

    [Fact]
    public async Task The_current_token_shows_a_change_made_since_it_was_cached()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: ["api"]);
        await engine.AuthenticateAsync(issued.Secret);

        await engine.Manager.UpdateAsync(Engine.ActorFor(alice), issued.Token.Id, new UpdateTokenRequest { Name = "renamed" }, None);
        var authenticated = await engine.AuthenticateAsync(issued.Secret);
        var current = await engine.Manager.GetCurrentAsync(authenticated, None);

        Assert.Equal("renamed", current.Value!.Name);
    }

    [Fact]
    public async Task The_current_token_falls_back_to_the_store_when_its_entry_was_evicted()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice, scopes: ["api"]);
        var authenticated = await engine.AuthenticateAsync(issued.Secret);
        engine.Cache.Clear();

        var current = await engine.Manager.GetCurrentAsync(authenticated, None);

        Assert.Equal(issued.Token.Id, current.Value!.Id);
        Assert.Equal(engine.Now, current.Value.LastUsedAt);
    }
}

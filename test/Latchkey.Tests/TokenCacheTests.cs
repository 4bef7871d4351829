using Latchkey.Tests.Fakes;

namespace Latchkey.Tests;

public sealed class TokenCacheTests
{
    [Fact]
    public async Task The_cache_never_holds_more_than_its_size_and_evicted_tokens_still_work()
    {
        var engine = new EngineBuilder().Configure(o => o.CacheSize = 10).Build();
        var alice = await engine.CreateUserAsync("alice");
        var secrets = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            secrets.Add((await engine.IssueAsync(alice, $"t{i}")).Secret);
        }

        foreach (var secret in secrets.Concat(secrets))
        {
            await engine.AuthenticateAsync(secret);
            Assert.InRange(engine.Cache.Count, 1, 10);
        }
    }

    [Fact]
    public async Task Concurrent_lookups_of_many_tokens_keep_the_cache_near_its_size()
    {
        var engine = new EngineBuilder().Configure(o => o.CacheSize = 20).Build();
        var alice = await engine.CreateUserAsync("alice");
        var secrets = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            secrets.Add((await engine.IssueAsync(alice, $"t{i}")).Secret);
        }

        var results = await Task.WhenAll(secrets.Select(s => Task.Run(async () => await engine.ValidateAsync(s))));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.InRange(engine.Cache.Count, 1, 20 + Environment.ProcessorCount);
    }

    [Fact]
    public async Task Clearing_the_cache_sends_every_token_back_to_the_store()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);

        engine.Cache.Clear();
        await engine.AuthenticateAsync(issued.Secret);

        Assert.Equal(2, engine.Tokens.FindByHashCalls);
        Assert.Equal(1, engine.Cache.Count);
    }
}

using Latchkey.Changes;
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
        Assert.InRange(engine.Cache.Count, 1, 20);
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

    [Fact]
    public async Task An_entry_older_than_the_maximum_age_is_read_from_the_store_again()
    {
        var engine = new EngineBuilder().Configure(o => o.CacheMaxAge = TimeSpan.FromSeconds(30)).Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);

        engine.Time.UtcNow += TimeSpan.FromSeconds(29);
        await engine.AuthenticateAsync(issued.Secret);
        Assert.Equal(1, engine.Tokens.FindByHashCalls);

        engine.Time.UtcNow += TimeSpan.FromSeconds(1);
        await engine.AuthenticateAsync(issued.Secret);
        Assert.Equal(2, engine.Tokens.FindByHashCalls);
    }

    [Fact]
    public async Task A_token_revoked_behind_the_caches_back_is_refused_once_its_entry_is_too_old()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);

        // Another process revoked it and the message never arrived: only the store knows.
        await engine.Tokens.RevokeAsync(issued.Token.Id, engine.Now, new Auditing.AuditEntry("token.revoked", engine.Now, null), CancellationToken.None);
        Assert.True((await engine.ValidateAsync(issued.Secret)).Succeeded);

        engine.Time.UtcNow += engine.Options.CacheMaxAge;
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(issued.Secret)).Failure);
    }

    [Fact]
    public async Task A_change_from_another_node_drops_only_the_tokens_it_names()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var changed = await engine.IssueAsync(alice, "changed");
        var kept = await engine.IssueAsync(alice, "kept");
        await engine.AuthenticateAsync(changed.Secret);
        await engine.AuthenticateAsync(kept.Secret);

        engine.Feed.Publish(TokenChange.Tokens([changed.Token.Id]));
        await engine.AuthenticateAsync(changed.Secret);
        await engine.AuthenticateAsync(kept.Secret);

        Assert.Equal(3, engine.Tokens.FindByHashCalls);
    }

    [Fact]
    public async Task A_feed_that_lost_track_empties_the_cache()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        await engine.AuthenticateAsync((await engine.IssueAsync(alice)).Secret);

        engine.Feed.Reset();

        Assert.Equal(0, engine.Cache.Count);
    }
}

using Latchkey.Stores;
using Latchkey.Tests.Fakes;

namespace Latchkey.Tests;

public sealed class TokenUsageRecorderTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_use_shows_at_once_but_is_written_only_on_flush()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        await engine.AuthenticateAsync(issued.Secret, "192.0.2.1");

        var shown = await engine.GetAsync(alice, issued.Token.Id);
        Assert.Equal(engine.Now, shown.LastUsedAt);
        Assert.Equal(["192.0.2.1"], shown.LastUsedIps);
        Assert.Null((await engine.Tokens.FindAsync(issued.Token.Id, None))!.LastUsedAt);
        Assert.Empty(engine.Tokens.UsageBatches);

        await engine.Usage.FlushAsync(None);

        var stored = (await engine.Tokens.FindAsync(issued.Token.Id, None))!;
        Assert.Equal(engine.Now, stored.LastUsedAt);
        Assert.Equal(["192.0.2.1"], stored.LastUsedIps);
    }

    [Fact]
    public async Task Listing_shows_pending_use_too()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);

        var listed = await engine.Manager.ListAsync(Engine.ActorFor(alice), new(), None);

        Assert.Equal(engine.Now, Assert.Single(listed.Items).LastUsedAt);
    }

    [Fact]
    public async Task Filtering_by_last_use_sees_use_that_was_not_written_yet()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var used = await engine.IssueAsync(alice, name: "used");
        await engine.IssueAsync(alice, name: "idle");
        engine.Time.Advance(TimeSpan.FromMinutes(5));
        await engine.AuthenticateAsync(used.Secret);

        var recent = await engine.Manager.ListAsync(Engine.ActorFor(alice), new TokenQuery { LastUsedAfter = engine.Now.AddMinutes(-1) }, None);

        Assert.Equal("used", Assert.Single(recent.Items).Name);
        Assert.Equal(0, engine.Usage.PendingCount);
    }

    [Fact]
    public async Task Use_from_a_known_address_is_recorded_at_most_once_per_interval()
    {
        var engine = new EngineBuilder().Configure(o => o.UsageRecordInterval = TimeSpan.FromMinutes(1)).Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        var firstUse = engine.Now;
        await engine.AuthenticateAsync(issued.Secret);
        await engine.Usage.FlushAsync(None);

        engine.Time.Advance(TimeSpan.FromSeconds(59));
        await engine.AuthenticateAsync(issued.Secret);
        Assert.Equal(0, engine.Usage.PendingCount);
        Assert.Equal(firstUse, (await engine.GetAsync(alice, issued.Token.Id)).LastUsedAt);

        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await engine.AuthenticateAsync(issued.Secret);
        Assert.Equal(1, engine.Usage.PendingCount);
        Assert.Equal(engine.Now, (await engine.GetAsync(alice, issued.Token.Id)).LastUsedAt);
    }

    [Fact]
    public async Task Use_from_a_new_address_is_recorded_at_once()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.1");
        await engine.Usage.FlushAsync(None);

        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.2");

        var shown = await engine.GetAsync(alice, issued.Token.Id);
        Assert.Equal(engine.Now, shown.LastUsedAt);
        Assert.Equal(["192.0.2.2", "192.0.2.1"], shown.LastUsedIps);
    }

    [Fact]
    public async Task The_last_five_distinct_addresses_are_kept_newest_first()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        for (var i = 1; i <= 7; i++)
        {
            engine.Time.Advance(TimeSpan.FromSeconds(1));
            await engine.AuthenticateAsync(issued.Secret, $"192.0.2.{i}");
        }

        Assert.Equal(["192.0.2.7", "192.0.2.6", "192.0.2.5", "192.0.2.4", "192.0.2.3"], (await engine.GetAsync(alice, issued.Token.Id)).LastUsedIps);

        engine.Time.Advance(TimeSpan.FromMinutes(1));
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.4");

        Assert.Equal(["192.0.2.4", "192.0.2.7", "192.0.2.6", "192.0.2.5", "192.0.2.3"], (await engine.GetAsync(alice, issued.Token.Id)).LastUsedIps);
    }

    [Fact]
    public async Task The_number_of_addresses_kept_is_configurable()
    {
        var engine = new EngineBuilder().Configure(o => o.LastUsedIpCount = 2).Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        foreach (var ip in new[] { "192.0.2.1", "192.0.2.2", "192.0.2.3" })
        {
            await engine.AuthenticateAsync(issued.Secret, ip);
        }

        Assert.Equal(["192.0.2.3", "192.0.2.2"], (await engine.GetAsync(alice, issued.Token.Id)).LastUsedIps);
    }

    [Fact]
    public async Task A_use_without_an_address_records_only_the_time()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);

        await engine.AuthenticateAsync(issued.Secret, clientIp: null);

        var shown = await engine.GetAsync(alice, issued.Token.Id);
        Assert.Equal(engine.Now, shown.LastUsedAt);
        Assert.Empty(shown.LastUsedIps);
    }

    [Fact]
    public async Task A_flush_writes_one_batch_and_leaves_nothing_pending()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var tokens = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var issued = await engine.IssueAsync(alice, $"t{i}");
            tokens.Add(issued.Token.Id);
            await engine.AuthenticateAsync(issued.Secret);
            await engine.AuthenticateAsync(issued.Secret);
        }

        Assert.Equal(5, engine.Usage.PendingCount);
        await engine.Usage.FlushAsync(None);
        await engine.Usage.FlushAsync(None);

        var batch = Assert.Single(engine.Tokens.UsageBatches);
        Assert.Equal(tokens.Order(), batch.Select(u => u.TokenId).Order());
        Assert.Equal(0, engine.Usage.PendingCount);
    }

    [Fact]
    public async Task A_use_shows_while_its_flush_is_still_writing_it()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.1");
        var write = engine.Tokens.HoldNextUsageWrite();

        var flush = engine.Usage.FlushAsync(None);
        var shown = await engine.GetAsync(alice, issued.Token.Id);
        write.SetResult();
        await flush;

        Assert.Equal(["192.0.2.1"], shown.LastUsedIps);
        Assert.Equal(0, engine.Usage.PendingCount);
    }

    [Fact]
    public async Task A_row_read_just_before_a_flush_wrote_it_still_shows_the_use()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.1");
        engine.Tokens.AfterNextFind(() => engine.Usage.FlushAsync(None));

        var shown = await engine.GetAsync(alice, issued.Token.Id);

        Assert.Equal(["192.0.2.1"], shown.LastUsedIps);
        Assert.Equal(engine.Now, shown.LastUsedAt);
    }

    [Fact]
    public async Task A_failed_flush_keeps_its_records_for_the_next_one()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.1");

        engine.Tokens.FailNextUsageWrite(new TimeoutException("database went away"));
        await Assert.ThrowsAsync<TimeoutException>(() => engine.Usage.FlushAsync(None));
        Assert.Equal(1, engine.Usage.PendingCount);

        await engine.Usage.FlushAsync(None);
        Assert.Equal(["192.0.2.1"], (await engine.Tokens.FindAsync(issued.Token.Id, None))!.LastUsedIps);
    }

    [Fact]
    public async Task A_use_already_written_is_not_recorded_again_after_the_cache_forgets_the_token()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret);
        await engine.Usage.FlushAsync(None);
        engine.Cache.Clear();

        engine.Time.Advance(TimeSpan.FromSeconds(10));
        await engine.AuthenticateAsync(issued.Secret);

        Assert.Equal(0, engine.Usage.PendingCount);
    }

    [Fact]
    public async Task Addresses_not_yet_written_survive_the_cache_forgetting_the_token()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.1");

        // Any change to the token drops its cache entry, while its last use is still only in memory.
        await engine.Manager.UpdateAsync(Engine.ActorFor(alice), issued.Token.Id, new UpdateTokenRequest { Name = "renamed" }, None);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.2");
        await engine.Usage.FlushAsync(None);

        Assert.Equal(["192.0.2.2", "192.0.2.1"], (await engine.Tokens.FindAsync(issued.Token.Id, None))!.LastUsedIps);
    }

    [Fact]
    public async Task Concurrent_uses_of_one_token_record_it_once()
    {
        var engine = new EngineBuilder().Build();
        var alice = await engine.CreateUserAsync("alice");
        var issued = await engine.IssueAsync(alice);
        await engine.AuthenticateAsync(issued.Secret, "192.0.2.1");
        await engine.Usage.FlushAsync(None);
        engine.Time.Advance(TimeSpan.FromMinutes(1));

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () => await engine.ValidateAsync(issued.Secret, "192.0.2.1"))));
        await engine.Usage.FlushAsync(None);

        Assert.Equal(2, engine.Tokens.UsageBatches.Count);
        Assert.Single(engine.Tokens.UsageBatches[1]);
    }
}

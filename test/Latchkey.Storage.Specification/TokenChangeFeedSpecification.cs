using Latchkey.Changes;

namespace Latchkey.Storage.Specification;

/// <summary>
/// What every token change feed does: a change reaches the writer's own subscribers before <c>Publish</c> returns
/// and every other node's once they caught up, ids and users as they were committed, at least once.
/// </summary>
public abstract class TokenChangeFeedSpecification
{
    /// <summary>A node (a process) over the feed's shared source, started and caught up. A single-node feed returns its one node.</summary>
    protected abstract Task<ITokenChangeFeed> StartNodeAsync();

    /// <summary>Commits <paramref name="change"/> on <paramref name="node"/> the way its store's writes do, then publishes it there.</summary>
    protected abstract Task CommitAsync(ITokenChangeFeed node, TokenChange change);

    /// <summary>Lets <paramref name="node"/> read what other nodes committed (one poll; no waiting on a clock).</summary>
    protected abstract Task CatchUpAsync(ITokenChangeFeed node);

    [Fact]
    public async Task A_change_reaches_the_writers_own_subscribers_before_publish_returns()
    {
        var node = await StartNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = node.Subscribe(cache);

        await CommitAsync(node, TokenChange.Tokens([41, 42]));

        Assert.Equal([41, 42], cache.TokenIds);
        Assert.Equal(0, cache.Resets);
    }

    [Fact]
    public async Task A_change_committed_on_one_node_reaches_the_subscribers_of_every_node()
    {
        var writer = await StartNodeAsync();
        var reader = await StartNodeAsync();
        var first = new RecordingSubscriber();
        var second = new RecordingSubscriber();
        using var one = reader.Subscribe(first);
        using var two = reader.Subscribe(second);

        await CommitAsync(writer, TokenChange.Tokens([7]));
        await CatchUpAsync(reader);

        Assert.Equal([7], first.TokenIds);
        Assert.Equal([7], second.TokenIds);
    }

    [Fact]
    public async Task Token_ids_and_users_arrive_as_they_were_committed()
    {
        var writer = await StartNodeAsync();
        var reader = await StartNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = reader.Subscribe(cache);

        await CommitAsync(writer, TokenChange.Tokens([3, 5, 8]));
        await CommitAsync(writer, TokenChange.User(12));
        await CommitAsync(writer, new TokenChange([13], 14));
        await CatchUpAsync(reader);

        Assert.Equal([3, 5, 8, 13], cache.TokenIds);
        Assert.Equal([12, 14], cache.UserIds);
    }

    [Fact]
    public async Task A_subscriber_that_unsubscribed_hears_nothing_more()
    {
        var writer = await StartNodeAsync();
        var reader = await StartNodeAsync();
        var cache = new RecordingSubscriber();
        var subscription = reader.Subscribe(cache);
        await CommitAsync(writer, TokenChange.Tokens([1]));
        await CatchUpAsync(reader);

        subscription.Dispose();
        await CommitAsync(writer, TokenChange.Tokens([2]));
        await CatchUpAsync(reader);

        Assert.Equal([1], cache.TokenIds);
    }

    [Fact]
    public async Task A_node_that_starts_later_is_not_replayed_older_changes_but_hears_new_ones()
    {
        var writer = await StartNodeAsync();
        await CommitAsync(writer, TokenChange.Tokens([100]));
        var late = await StartNodeAsync();
        var cache = new RecordingSubscriber();
        using var subscription = late.Subscribe(cache);

        await CatchUpAsync(late);
        await CommitAsync(writer, TokenChange.Tokens([101]));
        await CatchUpAsync(late);

        Assert.Equal([101], cache.TokenIds);
    }
}

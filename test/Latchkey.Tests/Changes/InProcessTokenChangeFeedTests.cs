using Latchkey.Changes;
using Latchkey.Storage.Specification;

namespace Latchkey.Tests.Changes;

/// <summary>The single-node feed: the process is its only node, so every "node" is the same feed.</summary>
public sealed class InProcessTokenChangeFeedTests : TokenChangeFeedSpecification
{
    private readonly InProcessTokenChangeFeed _feed = new();

    protected override Task<ITokenChangeFeed> StartNodeAsync() => Task.FromResult<ITokenChangeFeed>(_feed);

    protected override Task CommitAsync(ITokenChangeFeed node, TokenChange change)
    {
        node.Publish(change);
        return Task.CompletedTask;
    }

    protected override Task CatchUpAsync(ITokenChangeFeed node) => Task.CompletedTask;

    [Fact]
    public void A_reset_reaches_every_subscriber()
    {
        var first = new RecordingSubscriber();
        var second = new RecordingSubscriber();
        using var one = _feed.Subscribe(first);
        using var two = _feed.Subscribe(second);

        _feed.Reset();

        Assert.Equal(1, first.Resets);
        Assert.Equal(1, second.Resets);
    }
}

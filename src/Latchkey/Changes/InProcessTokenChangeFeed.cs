namespace Latchkey.Changes;

/// <summary>
/// The feed of a single node: delivers to this process's subscribers, synchronously. Feeds shared between nodes
/// use it for their local delivery.
/// </summary>
public sealed class InProcessTokenChangeFeed : ITokenChangeFeed
{
    private readonly Lock _lock = new();
    private ITokenChangeSubscriber[] _subscribers = [];

    public void Publish(TokenChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.OnChanged(change);
        }
    }

    /// <summary>Tells every subscriber that changes may have been missed.</summary>
    public void Reset()
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.OnReset();
        }
    }

    public IDisposable Subscribe(ITokenChangeSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscriber];
        }

        return new Subscription(this, subscriber);
    }

    private void Unsubscribe(ITokenChangeSubscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscriber)];
        }
    }

    private sealed class Subscription(InProcessTokenChangeFeed feed, ITokenChangeSubscriber subscriber) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(subscriber);
    }
}

namespace Latchkey.Changes;

/// <summary>
/// Carries token changes from the node that wrote them to every node's cache. The writer (<see cref="TokenManager"/>)
/// publishes after its store write committed; this node's subscribers hear it before <see cref="Publish"/> returns,
/// other nodes a moment later (how soon depends on the implementation). Delivery is at least once; a feed that
/// may have lost changes calls <see cref="ITokenChangeSubscriber.OnReset"/> instead of guessing.
/// </summary>
/// <remarks>
/// A feed shared between processes must not lose a change when the writer dies right after its commit: the
/// SQLite one has its store record the change in the write's own transaction, so <see cref="Publish"/> only has
/// to tell this node.
/// </remarks>
public interface ITokenChangeFeed
{
    void Publish(TokenChange change);

    /// <summary>Delivers changes to <paramref name="subscriber"/> until the returned handle is disposed.</summary>
    IDisposable Subscribe(ITokenChangeSubscriber subscriber);
}

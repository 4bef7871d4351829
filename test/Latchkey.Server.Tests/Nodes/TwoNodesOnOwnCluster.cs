using Latchkey.Testing;

namespace Latchkey.Server.Tests.Nodes;

/// <summary>
/// <see cref="TwoNodes"/> on a PostgreSQL cluster of their own, which a test may stop and start again: no other
/// test's database is on it.
/// </summary>
public sealed class TwoNodesOnOwnCluster : TwoNodes
{
    private protected override Task<PostgresCluster> ClusterAsync() => PostgresCluster.StartOwnAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Cluster?.StopOwn();
    }
}

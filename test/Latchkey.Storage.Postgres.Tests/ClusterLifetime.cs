using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Latchkey.Storage.Postgres.Tests.ClusterLifetime", "Latchkey.Storage.Postgres.Tests")]

namespace Latchkey.Storage.Postgres.Tests;

/// <summary>
/// xunit's own framework, disposed when the whole run is over: the one place that knows the last test class is done,
/// so the run's PostgreSQL cluster is stopped there, before the runner ends the test process.
/// </summary>
public sealed class ClusterLifetime : XunitTestFramework
{
    public ClusterLifetime(IMessageSink messageSink)
        : base(messageSink)
    {
        DisposalTracker.Add(new Stopper());
    }

    private sealed class Stopper : IDisposable
    {
        public void Dispose() => PostgresCluster.StopStarted();
    }
}

using Dapper;
using Latchkey.Changes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Latchkey.Server.Tests.Postgres;

/// <summary>
/// The server in-process on a PostgreSQL database of its own in the run's cluster, which it reaches only through a
/// <see cref="TcpRelay"/>: cutting the relay takes the database away from this server, and from nobody else. On an
/// adjustable clock, so a test can let cached tokens age out; last use is recorded on every use and written every
/// 200 ms, so a test sees a write fail and succeed without waiting long.
/// </summary>
public sealed class RelayedPostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan ListenAgainTimeout = TimeSpan.FromSeconds(30);

    private readonly Resets _resets = new();
    private PostgresCluster _cluster = null!;
    private string _database = string.Empty;
    private IDisposable? _subscription;
    private int _resetsWhenCut = -1;

    public TcpRelay Relay { get; private set; } = null!;

    public Server Factory { get; private set; } = null!;

    /// <summary>The database's password, which no log line may show.</summary>
    public string Password { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.GetAsync();
        _database = await _cluster.CreateDatabaseAsync("latchkey_outage");
        var direct = new NpgsqlConnectionStringBuilder(_database);
        Password = direct.Password!;
        Relay = TcpRelay.To(direct.Host!, direct.Port);
        var relayed = new NpgsqlConnectionStringBuilder(_database) { Host = "127.0.0.1", Port = Relay.Port };
        Factory = new Server(relayed.ConnectionString);
    }

    /// <summary>Takes the database away from the server: connecting is refused, open connections are reset.</summary>
    public void Cut()
    {
        _subscription ??= Factory.Services.GetRequiredService<ITokenChangeFeed>().Subscribe(_resets);
        if (_resetsWhenCut < 0)
        {
            _resetsWhenCut = _resets.Count;
        }

        Relay.Cut();
    }

    /// <summary>
    /// Gives the database back and, after a cut, waits until the server's change feed listens again: it clears the
    /// token cache then, which would otherwise drop a later test's freshly cached token at any moment.
    /// </summary>
    public async Task RestoreAsync()
    {
        Relay.Restore();
        if (_resetsWhenCut < 0)
        {
            return;
        }

        var deadline = DateTime.UtcNow + ListenAgainTimeout;
        while (_resets.Count <= _resetsWhenCut)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The server's change feed did not listen again within {ListenAgainTimeout.TotalSeconds} s of the database coming back.");
            }

            await Task.Delay(25);
        }

        _resetsWhenCut = -1;
    }

    public async Task DisposeAsync()
    {
        _subscription?.Dispose();
        await Factory.DisposeAsync();
        Relay.Dispose();
        await _cluster.DropDatabaseAsync(_database);
    }

    public sealed class Server(string connectionString) : AdjustableClockServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Latchkey"] = connectionString,
            ["Latchkey:UsageFlushInterval"] = "00:00:00.200",
            ["Latchkey:UsageRecordInterval"] = "00:00:00",
        };
    }

    private sealed class Resets : ITokenChangeSubscriber
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void OnChanged(TokenChange change)
        {
        }

        public void OnReset() => Interlocked.Increment(ref _count);
    }
}

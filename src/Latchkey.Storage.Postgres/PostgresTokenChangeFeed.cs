using System.Collections.Concurrent;
using Dapper;
using Latchkey.Changes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// The change feed of every node on one PostgreSQL database. The store sends each change with <c>NOTIFY</c> in the
/// change's own transaction (<see cref="TokenChangeLog"/>); this node keeps one connection of its own that
/// <c>LISTEN</c>s and hands every notification to its subscribers (the token cache) as it arrives, off the request
/// path. <see cref="Publish"/> tells this node at once; its own changes come back once more from the channel:
/// delivery is at least once, and dropping a cache entry twice is harmless.
/// </summary>
/// <remarks>
/// While the listening connection is down, changes go by unheard. The cache keeps what it holds for at most
/// <c>Latchkey:CacheMaxAge</c> meanwhile (so cached tokens keep working through a database outage), and is cleared
/// as soon as the node listens again, before anything else is read. A silent connection is asked <c>SELECT 1</c>
/// every <see cref="IdleCheck"/> and given <see cref="CheckTimeout"/> to answer, so one the network lost without a
/// reset (a crashed host, a dropped route) is noticed within about ten seconds, not when TCP gives up; a busy machine
/// that stalls for a second or two is not mistaken for one (that would clear the cache for nothing). The same loop deletes
/// <c>token_changes</c> rows older than <see cref="Retention"/> once a minute: the rows are the durable record of
/// the changes (for operators and audits of propagation); nodes do not read them.
/// </remarks>
internal sealed partial class PostgresTokenChangeFeed : BackgroundService, ITokenChangeFeed
{
    /// <summary>
    /// The listening connection's <c>application_name</c>, to find it in <c>pg_stat_activity</c>; followed by a space
    /// and the connection string's own Application Name when it sets one, so each node's listener can be told apart.
    /// </summary>
    public const string ListenerApplicationName = "latchkey-listener";

    internal static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstListenWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private const string MarkerPrefix = "m:";

    private readonly InProcessTokenChangeFeed _local = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _markers = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _listenerConnectionString;
    private readonly PostgresConnectionFactory _connections;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresTokenChangeFeed> _logger;
    private DateTimeOffset _lastPruned = DateTimeOffset.MinValue;

    public PostgresTokenChangeFeed(IOptions<PostgresStoreOptions> options, PostgresConnectionFactory connections, TimeProvider time, ILogger<PostgresTokenChangeFeed> logger)
    {
        // A connection of its own that waits for notifications: outside the pool, and never multiplexed (Npgsql refuses
        // multiplexing without pooling, and a multiplexed connection cannot wait), whatever the pool is set to.
        var listener = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString) { Pooling = false, Multiplexing = false, Timeout = 5 };
        listener.ApplicationName = string.IsNullOrWhiteSpace(listener.ApplicationName) ? ListenerApplicationName : $"{ListenerApplicationName} {listener.ApplicationName}";
        _listenerConnectionString = listener.ConnectionString;
        _connections = connections;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes once this node listens for the first time (its cache was cleared then).</summary>
    internal Task Listening => _listening.Task;

    /// <summary>
    /// Returns once this node listens (or after <see cref="FirstListenWait"/> if the database is not there yet): the
    /// host starts serving after its hosted services have started, so no token is validated and cached before the node
    /// hears changes — the first LISTEN clears the cache, and a change made before it would go unheard.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        await Task.WhenAny(_listening.Task, Task.Delay(FirstListenWait, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Publish(TokenChange change) => _local.Publish(change);

    public IDisposable Subscribe(ITokenChangeSubscriber subscriber) => _local.Subscribe(subscriber);

    /// <summary>
    /// Completes when this node has heard every change committed before the call: a marker sent on the channel comes
    /// after them, since PostgreSQL delivers notifications in commit order.
    /// </summary>
    internal async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var marker = MarkerPrefix + Guid.NewGuid().ToString("N");
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _markers[marker] = heard;
        try
        {
            await using (var connection = await _connections.OpenAsync(cancellationToken))
            {
                await connection.ExecuteAsync(new CommandDefinition($"SELECT pg_notify('{TokenChangeLog.Channel}', @Marker)", new { Marker = marker }, cancellationToken: cancellationToken));
            }

            await heard.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _markers.TryRemove(marker, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenerConnectionString);
                connection.Notification += OnNotification;
                await connection.OpenAsync(stoppingToken);
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {TokenChangeLog.Channel}", cancellationToken: stoppingToken));

                // Listening from here on; whatever changed before may have gone by unheard.
                _local.Reset();
                _listening.TrySetResult();
                if (lost)
                {
                    lost = false;
                    LogRecovered();
                }

                retry = FirstRetry;
                await ListenAsync(connection, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Any failure, not only the ones Npgsql is known to throw: a feed that stopped would leave this node
                // serving cached tokens without hearing revocations, with nothing in the log.
                if (!lost)
                {
                    lost = true;
                    LogLost(exception.Message);
                }

                try
                {
                    await Task.Delay(retry, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    private async Task ListenAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        while (true)
        {
            if (!await connection.WaitAsync(IdleCheck, stoppingToken))
            {
                // Nothing for a while: make sure the connection is still there.
                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", commandTimeout: (int)CheckTimeout.TotalSeconds, cancellationToken: stoppingToken));
            }

            await PruneAsync(stoppingToken);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        if (notification.Payload.StartsWith(MarkerPrefix, StringComparison.Ordinal))
        {
            if (_markers.TryGetValue(notification.Payload, out var heard))
            {
                heard.TrySetResult();
            }

            return;
        }

        if (TokenChangeLog.TryParse(notification.Payload, out var change))
        {
            _local.Publish(change);
        }
        else
        {
            // Not a change this build can read (a newer node's?): forget everything rather than guess.
            LogUnreadable(notification.Payload.Length);
            _local.Reset();
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _lastPruned < PruneEvery && now >= _lastPruned)
        {
            return;
        }

        _lastPruned = now;
        try
        {
            await using var connection = await _connections.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM token_changes WHERE at < @Cutoff",
                new { Cutoff = UnixTime.ToStore(now - Retention) },
                commandTimeout: (int)CheckTimeout.TotalSeconds,
                cancellationToken: cancellationToken));
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // Tried again next minute, and never for long (it runs between notifications): the listening connection
            // is what matters here.
            LogPruneFailed(exception.Message);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Listening for token changes failed ({Reason}); this node keeps retrying, and clears its token cache once it listens again")]
    private partial void LogLost(string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Listening for token changes works again; the token cache was cleared")]
    private partial void LogRecovered();

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "A token change notification of {Length} characters could not be read; the token cache was cleared")]
    private partial void LogUnreadable(int length);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "Deleting old token_changes rows failed ({Reason}); trying again in a minute")]
    private partial void LogPruneFailed(string reason);
}

using Dapper;
using Latchkey.Changes;
using Microsoft.Extensions.Logging;

namespace Latchkey.Storage.Sqlite;

/// <summary>
/// The change feed of every process on one SQLite file. The store writes each change into <c>token_changes</c> in
/// the change's own transaction; <see cref="Publish"/> tells this process at once, and every process reads the rows
/// after the last id it saw (<see cref="PollAsync"/>, on a timer off the request path) and tells its cache.
/// Changes of this process come back once more from the table: delivery is at least once, and dropping a cache entry
/// twice is harmless.
/// </summary>
/// <remarks>
/// SQLite serialises writers and never reuses or skips an AUTOINCREMENT id, so ids appear in commit order without
/// gaps. A gap therefore means rows were pruned before this process read them, and an id below the cursor means the
/// file was replaced (restored from a backup): in both cases, as after a failed read, the cache is cleared rather
/// than guessed at.
/// </remarks>
internal sealed partial class SqliteTokenChangeFeed : ITokenChangeFeed
{
    /// <summary>Rows older than this are deleted; a process that read nothing for this long clears its cache.</summary>
    internal static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    private const int BatchSize = 1000;

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly InProcessTokenChangeFeed _local = new();
    private readonly SqliteConnectionFactory _connections;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteTokenChangeFeed> _logger;
    private long? _cursor;
    private bool _lost;
    private DateTimeOffset _lastPruned = DateTimeOffset.MinValue;

    public SqliteTokenChangeFeed(SqliteConnectionFactory connections, TimeProvider time, ILogger<SqliteTokenChangeFeed> logger)
    {
        _connections = connections;
        _time = time;
        _logger = logger;
    }

    public void Publish(TokenChange change) => _local.Publish(change);

    public IDisposable Subscribe(ITokenChangeSubscriber subscriber) => _local.Subscribe(subscriber);

    /// <summary>
    /// Delivers the changes committed since the last poll, by any process. The first poll only finds where the
    /// table ends (and clears the cache, in case anything was cached before). Not to be called concurrently.
    /// </summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReadAsync(cancellationToken);
            if (_lost)
            {
                _lost = false;
                LogRecovered();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Changes may be going by unseen: the cache is cleared once reading works again.
            if (!_lost)
            {
                _lost = true;
                LogLost(exception);
            }

            _cursor = null;
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        // The last id ever handed out, which survives pruning; missing until the first row is written.
        var latest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT seq FROM sqlite_sequence WHERE name = 'token_changes'", cancellationToken: cancellationToken)) ?? 0;
        if (_cursor is not { } cursor || latest < cursor)
        {
            // Started, recovered, or the file was replaced: start from its end with an empty cache.
            _cursor = latest;
            _local.Reset();
            return;
        }

        if (latest > cursor)
        {
            var rows = (await connection.QueryAsync<(long Id, long? TokenId, long? UserId)>(new CommandDefinition(
                "SELECT id, token_id, user_id FROM token_changes WHERE id > @Cursor ORDER BY id LIMIT @BatchSize",
                new { Cursor = cursor, BatchSize },
                cancellationToken: cancellationToken))).AsList();
            if (rows.Count == 0 || rows[0].Id != cursor + 1)
            {
                LogMissed(cursor);
                _cursor = latest;
                _local.Reset();
                return;
            }

            _local.Publish(TokenChange.Tokens(rows.Where(r => r.TokenId is not null).Select(r => r.TokenId!.Value)));
            foreach (var row in rows.Where(r => r.UserId is not null))
            {
                _local.Publish(TokenChange.User(row.UserId!.Value));
            }

            _cursor = rows[^1].Id;
        }

        await PruneAsync(connection, cancellationToken);
    }

    private async Task PruneAsync(Microsoft.Data.Sqlite.SqliteConnection connection, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _lastPruned < PruneEvery && now >= _lastPruned)
        {
            return;
        }

        _lastPruned = now;
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM token_changes WHERE at < @Cutoff",
            new { Cutoff = UnixTime.ToStore(now - Retention) },
            cancellationToken: cancellationToken));
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Reading token changes failed; this process will clear its token cache once it reads them again")]
    private partial void LogLost(Exception exception);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Reading token changes works again; the token cache was cleared")]
    private partial void LogRecovered();

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Token changes after id {Cursor} were pruned before this process read them; the token cache was cleared")]
    private partial void LogMissed(long cursor);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Storage.Sqlite;

/// <summary>
/// Reads the other processes' token changes every <see cref="SqliteStoreOptions.ChangePollInterval"/>, in the
/// background, so a request never waits for it. Real time rather than the host's clock: it paces I/O, it does not
/// judge anything.
/// </summary>
internal sealed class SqliteTokenChangePoller : BackgroundService
{
    private readonly SqliteTokenChangeFeed _feed;
    private readonly TimeSpan _interval;

    public SqliteTokenChangePoller(SqliteTokenChangeFeed feed, IOptions<SqliteStoreOptions> options)
    {
        _feed = feed;
        _interval = options.Value.ChangePollInterval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            do
            {
                // Failures are the feed's to report and recover from; the loop carries on.
                await _feed.PollAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

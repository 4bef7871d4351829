using Latchkey.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.Hosting;

/// <summary>
/// Writes last-used records in batches on a timer, and once more on graceful shutdown. A batch that cannot be written
/// stays queued for the next run (one record per token, the latest, so the queue holds at most one per token used).
/// </summary>
internal sealed partial class TokenUsageFlushService : PeriodicJob
{
    private readonly TokenUsageRecorder _recorder;
    private readonly ILogger<TokenUsageFlushService> _logger;

    public TokenUsageFlushService(TokenUsageRecorder recorder, IOptions<LatchkeyOptions> options, ILogger<TokenUsageFlushService> logger, IStoreHealth? store = null)
        : base(options.Value.UsageFlushInterval, runAtStart: false, store)
    {
        _recorder = recorder;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await RunSafelyAsync(cancellationToken);
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => _recorder.FlushAsync(cancellationToken);

    protected override void OnFailed(Exception exception) => LogFlushFailed(exception);

    protected override void OnStoreUnavailable(string reason) => LogFlushDeferred(_recorder.PendingCount, reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Writing token last-used records failed; they stay queued")]
    private partial void LogFlushFailed(Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "The database is unavailable; {Count} token last-used records stay queued until it is back ({Reason})")]
    private partial void LogFlushDeferred(int count, string reason);
}

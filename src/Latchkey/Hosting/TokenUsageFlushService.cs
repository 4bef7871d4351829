using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.Hosting;

/// <summary>Writes last-used records in batches on a timer, and once more on graceful shutdown.</summary>
internal sealed partial class TokenUsageFlushService : PeriodicJob
{
    private readonly TokenUsageRecorder _recorder;
    private readonly ILogger<TokenUsageFlushService> _logger;

    public TokenUsageFlushService(TokenUsageRecorder recorder, IOptions<LatchkeyOptions> options, ILogger<TokenUsageFlushService> logger)
        : base(options.Value.UsageFlushInterval, runAtStart: false)
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

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Writing token last-used records failed; they stay queued")]
    private partial void LogFlushFailed(Exception exception);
}

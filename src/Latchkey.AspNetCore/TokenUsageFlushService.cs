using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>Writes last-used records in batches on a timer, and once more on graceful shutdown.</summary>
internal sealed partial class TokenUsageFlushService : BackgroundService
{
    private readonly TokenUsageRecorder _recorder;
    private readonly LatchkeyOptions _options;
    private readonly ILogger<TokenUsageFlushService> _logger;

    public TokenUsageFlushService(TokenUsageRecorder recorder, IOptions<LatchkeyOptions> options, ILogger<TokenUsageFlushService> logger)
    {
        _recorder = recorder;
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.UsageFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _recorder.FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFlushFailed(exception);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Writing token last-used records failed; they stay queued")]
    private partial void LogFlushFailed(Exception exception);
}

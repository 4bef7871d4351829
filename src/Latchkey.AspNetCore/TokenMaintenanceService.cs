using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>Deletes tokens that expired or were revoked longer ago than the retention period, on a timer.</summary>
internal sealed partial class TokenMaintenanceService : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly LatchkeyOptions _options;
    private readonly ILogger<TokenMaintenanceService> _logger;

    public TokenMaintenanceService(IServiceProvider services, IOptions<LatchkeyOptions> options, ILogger<TokenMaintenanceService> logger)
    {
        _services = services;
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval);
        try
        {
            do
            {
                try
                {
                    var pruned = await _services.GetRequiredService<TokenManager>().PruneAsync(stoppingToken);
                    if (pruned > 0)
                    {
                        LogPruned(pruned);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogPruneFailed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Pruned {Count} tokens past the retention period")]
    private partial void LogPruned(int count);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Pruning expired and revoked tokens failed")]
    private partial void LogPruneFailed(Exception exception);
}

using Latchkey.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.Hosting;

/// <summary>Deletes tokens that expired or were revoked longer ago than the retention period, at start and on a timer.</summary>
internal sealed partial class TokenMaintenanceService : PeriodicJob
{
    private readonly IServiceProvider _services;
    private readonly ILogger<TokenMaintenanceService> _logger;

    public TokenMaintenanceService(IServiceProvider services, IOptions<LatchkeyOptions> options, ILogger<TokenMaintenanceService> logger, IStoreHealth? store = null)
        : base(options.Value.MaintenanceInterval, runAtStart: true, store)
    {
        _services = services;
        _logger = logger;
    }

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var pruned = await _services.GetRequiredService<TokenManager>().PruneAsync(cancellationToken);
        if (pruned > 0)
        {
            LogPruned(pruned);
        }
    }

    protected override void OnFailed(Exception exception) => LogPruneFailed(exception);

    protected override void OnStoreUnavailable(string reason) => LogPruneDeferred(reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Pruned {Count} tokens past the retention period")]
    private partial void LogPruned(int count);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Pruning expired and revoked tokens failed")]
    private partial void LogPruneFailed(Exception exception);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Pruning expired and revoked tokens waits for the next run: the database is unavailable ({Reason})")]
    private partial void LogPruneDeferred(string reason);
}

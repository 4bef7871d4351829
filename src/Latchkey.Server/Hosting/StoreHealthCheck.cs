using Latchkey.Stores;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Latchkey.Server.Hosting;

/// <summary>Ready when the store answers, within <see cref="Timeout"/>.</summary>
internal sealed class StoreHealthCheck : IHealthCheck
{
    /// <summary>How long the check waits for the store: an orchestrator's probe should hear "not ready", not nothing.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly IStoreHealth _store;

    public StoreHealthCheck(IStoreHealth store) => _store = store;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _store.IsReadyAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The store did not answer.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store did not answer.");
        }
    }
}

using Latchkey.Stores;
using Microsoft.Extensions.Hosting;

namespace Latchkey.Hosting;

/// <summary>
/// A background job that runs every <c>interval</c> until the host stops. A failed run is reported and the job
/// carries on; it never takes the host down. A run that failed because the store cannot be reached is reported as
/// that, in one line (<see cref="OnStoreUnavailable"/>): it fails again every interval until the database is back.
/// </summary>
internal abstract class PeriodicJob : BackgroundService
{
    private readonly TimeSpan _interval;
    private readonly bool _runAtStart;
    private readonly IStoreHealth? _store;

    protected PeriodicJob(TimeSpan interval, bool runAtStart, IStoreHealth? store)
    {
        _interval = interval;
        _runAtStart = runAtStart;
        _store = store;
    }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected abstract void OnFailed(Exception exception);

    /// <summary>The run failed because the database is unavailable; <paramref name="reason"/> is the provider's message.</summary>
    protected abstract void OnStoreUnavailable(string reason);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            if (_runAtStart)
            {
                await RunSafelyAsync(stoppingToken);
            }

            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunSafelyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    protected async Task RunSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunOnceAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (_store?.IsUnavailable(exception) == true)
            {
                OnStoreUnavailable(exception.Message);
            }
            else
            {
                OnFailed(exception);
            }
        }
    }
}

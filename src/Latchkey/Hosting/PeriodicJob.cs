using Microsoft.Extensions.Hosting;

namespace Latchkey.Hosting;

/// <summary>
/// A background job that runs every <c>interval</c> until the host stops. A failed run is reported and the job
/// carries on; it never takes the host down.
/// </summary>
internal abstract class PeriodicJob : BackgroundService
{
    private readonly TimeSpan _interval;
    private readonly bool _runAtStart;

    protected PeriodicJob(TimeSpan interval, bool runAtStart)
    {
        _interval = interval;
        _runAtStart = runAtStart;
    }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected abstract void OnFailed(Exception exception);

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
            OnFailed(exception);
        }
    }
}

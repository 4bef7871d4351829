using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Latchkey.Server.Hosting;

/// <summary>
/// Ready once the host has started: Kestrel listens before the last start-up work ends (the first administrator is
/// created once the server is listening, <see cref="Users.AdminBootstrapper"/>), and a client or load balancer that
/// waits for <c>/health/ready</c> must find a node it can sign in to.
/// </summary>
internal sealed class StartedHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Starting."));
}

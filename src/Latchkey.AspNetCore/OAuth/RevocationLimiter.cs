using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// Revocation requests per client address, with the framework's fixed-window limiter. Every well-formed request
/// counts, whatever it revoked, so the limit says nothing about whether a token existed; it only keeps anyone from
/// using the endpoint to hammer the store.
/// </summary>
internal sealed class RevocationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly TimeSpan _window;

    public RevocationLimiter(IOptions<LatchkeyOAuthOptions> options)
    {
        var settings = options.Value;
        _window = settings.RevocationWindow;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.RevocationPermitLimit,
            Window = settings.RevocationWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one request's permit for <paramref name="client"/>; false, with how long to wait, when none is left.</summary>
    public bool TryAcquire(IPAddress? client, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(FailureBudget<IPAddress>.ClientKey(client));
        retryAfter = lease.IsAcquired ? TimeSpan.Zero : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _window;
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

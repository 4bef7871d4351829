using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Users;

/// <summary>
/// Limits failed sign-ins per client address with the framework's sliding-window rate limiter: each failure
/// takes a permit; when none are left, further attempts answer 429 until the window moves on. Successful
/// sign-ins cost nothing.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public SignInThrottle(IOptions<SignInOptions> options)
    {
        var o = options.Value;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = o.MaxFailures,
            Window = o.Window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>True when the address has used up its failures; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsLimited(string address, out TimeSpan? retryAfter)
    {
        using var probe = _failures.AttemptAcquire(address, 0);
        retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        return !probe.IsAcquired;
    }

    public void RecordFailure(string address)
    {
        using var _ = _failures.AttemptAcquire(address);
    }

    public void Dispose() => _failures.Dispose();
}

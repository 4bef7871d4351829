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
    private const int SegmentsPerWindow = 6;

    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _segment;

    public SignInThrottle(IOptions<SignInOptions> options)
    {
        var o = options.Value;
        _segment = o.Window / SegmentsPerWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = o.MaxFailures,
            Window = o.Window,
            SegmentsPerWindow = SegmentsPerWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>True when the address has used up its failures; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsLimited(string address, out TimeSpan? retryAfter)
    {
        using var probe = _failures.AttemptAcquire(address, 0);
        // The sliding-window limiter attaches no RetryAfter to a refusal; it frees permits one segment at a time,
        // so a segment is the earliest a retry can succeed.
        retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _segment;
        return !probe.IsAcquired;
    }

    public void RecordFailure(string address)
    {
        using var _ = _failures.AttemptAcquire(address);
    }

    public void Dispose() => _failures.Dispose();
}

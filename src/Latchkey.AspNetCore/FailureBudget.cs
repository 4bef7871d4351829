using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;

namespace Latchkey.AspNetCore;

/// <summary>
/// A budget of failures per key (a client address, a username at an address) kept by the framework's partitioned
/// rate limiter: each failure takes a permit, and a key with none left is limited until its window frees one.
/// Successes take nothing. A key that never failed — every client presenting valid credentials — is answered by one
/// lock-free lookup, without touching the limiter (which takes a lock and makes a partition per key).
/// </summary>
public sealed class FailureBudget<TKey> : IDisposable
    where TKey : notnull
{
    // Keys forgotten at once when this many have failed: each then costs one more judged attempt before it is
    // limited again, rather than the set growing with every address an attacker rotates through.
    private const int MaxTrackedKeys = 100_000;

    private static readonly IPAddress NoAddress = IPAddress.IPv6None;

    private readonly PartitionedRateLimiter<TKey> _limiter;
    private readonly ConcurrentDictionary<TKey, byte> _failed = new();
    private readonly int _permits;
    private readonly TimeSpan _retryAfterFallback;

    /// <param name="partition">The limiter for one key, e.g. <c>RateLimitPartition.GetFixedWindowLimiter</c>.</param>
    /// <param name="permits">The failures a key may make within its window (the partition's permit limit).</param>
    /// <param name="retryAfterFallback">What <c>Retry-After</c> says when the limiter names no time (a sliding window does not).</param>
    public FailureBudget(Func<TKey, RateLimitPartition<TKey>> partition, int permits, TimeSpan retryAfterFallback)
    {
        _limiter = PartitionedRateLimiter.Create(partition);
        _permits = permits;
        _retryAfterFallback = retryAfterFallback;
    }

    /// <summary>True when <paramref name="key"/> has used up its failures; <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsLimited(TKey key, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_failed.ContainsKey(key))
        {
            return false;
        }

        using var probe = _limiter.AttemptAcquire(key, 0);
        if (probe.IsAcquired)
        {
            // Its window has freed every permit: back to the fast path. A failure racing this removal is still
            // counted by the limiter; at worst the key is judged once more before it is known again.
            if (_limiter.GetStatistics(key)?.CurrentAvailablePermits >= _permits)
            {
                _failed.TryRemove(key, out _);
            }

            return false;
        }

        retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _retryAfterFallback;
        return true;
    }

    /// <summary>Counts one failure against <paramref name="key"/>; true when it took the last permit.</summary>
    public bool RecordFailure(TKey key)
    {
        if (_failed.Count >= MaxTrackedKeys)
        {
            _failed.Clear();
        }

        _failed[key] = 0;
        using var lease = _limiter.AttemptAcquire(key);
        return lease.IsAcquired && _limiter.GetStatistics(key)?.CurrentAvailablePermits == 0;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>
    /// The key for a client address: IPv4 clients reach a dual-stack socket as <c>::ffff:a.b.c.d</c> and are the
    /// same client as <c>a.b.c.d</c>; requests with no address at all (a Unix socket, an in-process server) share one.
    /// </summary>
    public static IPAddress ClientKey(IPAddress? address)
        => address is null ? NoAddress : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Users;

/// <summary>
/// Limits failed sign-ins with the framework's sliding-window rate limiter, in two buckets: one per username and
/// client address (the lock-out: someone guessing one account's password from one place), and a looser one per
/// client address (someone trying passwords across many usernames). Each failure takes a permit from both; when
/// either has none left, attempts answer 429 until the window moves on. Successful sign-ins cost nothing, and the
/// same user signing in from elsewhere, or another user behind the same address, is not locked out.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    private const int SegmentsPerWindow = 6;

    // Longer names than any username can be are all one "unknown" name to the bucket, so the key stays small.
    private const int MaxUsernameKeyLength = 256;

    private readonly PartitionedRateLimiter<(string Address, string Username)> _perAccount;
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly TimeSpan _segment;

    public SignInThrottle(IOptions<SignInOptions> options)
    {
        var o = options.Value;
        _segment = o.Window / SegmentsPerWindow;
        _perAccount = PartitionedRateLimiter.Create<(string Address, string Username), (string, string)>(key => Sliding(key, o.MaxFailures, o.Window));
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => Sliding(address, o.MaxFailuresPerAddress, o.Window));
    }

    /// <summary>
    /// True when this username from this address, or this address altogether, has used up its failures;
    /// <paramref name="retryAfter"/> says for how long. Check it before verifying the password: a password checked
    /// while limited would tell a guesser when it was right.
    /// </summary>
    public bool IsLimited(IPAddress? address, string username, out TimeSpan retryAfter)
    {
        var client = Address(address);
        return IsLimited(_perAccount, (client, Username(username)), out retryAfter) || IsLimited(_perAddress, client, out retryAfter);
    }

    public void RecordFailure(IPAddress? address, string username)
    {
        var client = Address(address);
        using var account = _perAccount.AttemptAcquire((client, Username(username)));
        using var all = _perAddress.AttemptAcquire(client);
    }

    public void Dispose()
    {
        _perAccount.Dispose();
        _perAddress.Dispose();
    }

    private bool IsLimited<TKey>(PartitionedRateLimiter<TKey> limiter, TKey key, out TimeSpan retryAfter)
    {
        using var probe = limiter.AttemptAcquire(key, 0);

        // The sliding-window limiter attaches no RetryAfter to a refusal; it frees permits one segment at a time,
        // so a segment is the earliest a retry can succeed.
        retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _segment;
        return !probe.IsAcquired;
    }

    private static RateLimitPartition<TKey> Sliding<TKey>(TKey key, int permits, TimeSpan window)
        => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            SegmentsPerWindow = SegmentsPerWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    // IPv4 clients reach a dual-stack socket as ::ffff:a.b.c.d; they are the same client as a.b.c.d.
    private static string Address(IPAddress? address)
        => address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    // Usernames are matched ignoring case, so "Admin" and "admin" are one account to the lock-out too.
    private static string Username(string username)
        => (username.Length > MaxUsernameKeyLength ? username[..MaxUsernameKeyLength] : username).ToUpperInvariant();
}

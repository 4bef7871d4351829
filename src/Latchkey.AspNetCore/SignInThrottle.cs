using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>
/// Limits failed sign-ins with the framework's sliding-window rate limiter, in two buckets: one per username and
/// client address (the lock-out: someone guessing one account's password from one place), and a looser one per
/// client address (someone trying passwords across many usernames). Each failure takes a permit from both; when
/// either has none left, attempts answer 429 until the window moves on. Successful sign-ins cost nothing, and the
/// same user signing in from elsewhere, or another user behind the same address, is not locked out. Every check of an
/// account password counts here: the server's sign-in forms and API, and forward-auth's password Git authentication
/// (<c>Latchkey:ForwardAuth:Git:AllowPasswords</c>), so guesses spread over them share one budget. Registered by
/// <see cref="LatchkeyServiceCollectionExtensions.AddLatchkeySignInThrottle"/>.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private const int SegmentsPerWindow = 6;

    // Longer names than any username can be are all one "unknown" name to the bucket, so the key stays small.
    private const int MaxUsernameKeyLength = 256;

    private readonly FailureBudget<(IPAddress Address, string Username)> _perAccount;
    private readonly FailureBudget<IPAddress> _perAddress;

    public SignInThrottle(IOptions<SignInOptions> options)
    {
        var o = options.Value;
        _perAccount = Budget<(IPAddress Address, string Username)>(o.MaxFailures, o.Window);
        _perAddress = Budget<IPAddress>(o.MaxFailuresPerAddress, o.Window);
    }

    /// <summary>
    /// True when this username from this address, or this address altogether, has used up its failures;
    /// <paramref name="retryAfter"/> says for how long. Check it before verifying the password: a password checked
    /// while limited would tell a guesser when it was right.
    /// </summary>
    public bool IsLimited(IPAddress? address, string username, out TimeSpan retryAfter)
    {
        var client = FailureBudget<IPAddress>.ClientKey(address);
        return _perAccount.IsLimited((client, Username(username)), out retryAfter) || _perAddress.IsLimited(client, out retryAfter);
    }

    public void RecordFailure(IPAddress? address, string username)
    {
        var client = FailureBudget<IPAddress>.ClientKey(address);
        _perAccount.RecordFailure((client, Username(username)));
        _perAddress.RecordFailure(client);
    }

    public void Dispose()
    {
        _perAccount.Dispose();
        _perAddress.Dispose();
    }

    // permits failures per key in a sliding window (SecondFactorThrottle's too). The limiter attaches no RetryAfter to
    // a refusal; it frees permits one segment at a time, so a segment is the earliest a retry can succeed.
    public static FailureBudget<TKey> Budget<TKey>(int permits, TimeSpan window)
        where TKey : notnull
        => new(
            key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                SegmentsPerWindow = SegmentsPerWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            }),
            permits,
            window / SegmentsPerWindow);

    // Usernames are matched ignoring case, so "Admin" and "admin" are one account to the lock-out too.
    private static string Username(string username)
        => (username.Length > MaxUsernameKeyLength ? username[..MaxUsernameKeyLength] : username).ToUpperInvariant();
}

using Latchkey.Tokens;

namespace Latchkey;

/// <summary>
/// A validated lookup kept in <see cref="TokenCache"/>. What it vouches for is immutable; only the last-use
/// bookkeeping changes, without locks.
/// </summary>
internal sealed class CachedToken
{
    private long _lastRecordedTicks;
    private string[] _recentIps;

    public CachedToken(AuthenticatedToken token, TokenHash hash, bool ownerActive, PersonalAccessToken stored, DateTimeOffset loadedAt)
    {
        Token = token;
        LoadedAtTicks = loadedAt.UtcTicks;
        Hash = hash;
        OwnerActive = ownerActive;
        Stored = stored;
        _lastRecordedTicks = stored.LastUsedAt?.UtcTicks ?? 0;
        _recentIps = [.. stored.LastUsedIps];
    }

    public AuthenticatedToken Token { get; }

    public TokenHash Hash { get; }

    /// <summary>When it was read from the store (UTC ticks): a plain number, so the age check on a hit costs a subtraction.</summary>
    public long LoadedAtTicks { get; }

    // Revoked entries stay cached: revocation is final, and a token presented again after it costs no store read.
    public bool Revoked => Stored.IsRevoked;

    public bool OwnerActive { get; }

    public string[] RecentIps => Volatile.Read(ref _recentIps);

    /// <summary>The stored record this entry was built from (never a secret or hash).</summary>
    public PersonalAccessToken Stored { get; }

    /// <summary>
    /// The token as the store would return it now: any change to the token invalidates this entry, so only the
    /// last-use bookkeeping can have moved on since it was loaded.
    /// </summary>
    public PersonalAccessToken Describe()
    {
        var lastUsed = Interlocked.Read(ref _lastRecordedTicks);
        return Stored with
        {
            LastUsedAt = lastUsed == 0 ? Stored.LastUsedAt : new DateTimeOffset(lastUsed, TimeSpan.Zero),
            LastUsedIps = RecentIps,
        };
    }

    /// <summary>
    /// Decides whether this use is worth recording: the first use in <paramref name="interval"/>, or a use from an
    /// address not among the recent ones. Returns the new address list when it is.
    /// </summary>
    public bool TryMarkUsed(DateTimeOffset now, string? ip, TimeSpan interval, int ipCount, out string[] ips)
    {
        var known = Volatile.Read(ref _recentIps);
        var last = Interlocked.Read(ref _lastRecordedTicks);
        var newAddress = ip is not null && Array.IndexOf(known, ip) < 0;
        if (!newAddress && now.UtcTicks - last < interval.Ticks)
        {
            ips = known;
            return false;
        }

        // One winner per interval: a racing request that loses simply does not record.
        if (Interlocked.CompareExchange(ref _lastRecordedTicks, now.UtcTicks, last) != last)
        {
            ips = known;
            return false;
        }

        ips = ip is null ? known : [ip, .. known.Where(k => k != ip).Take(ipCount - 1)];
        Volatile.Write(ref _recentIps, ips);
        return true;
    }
}

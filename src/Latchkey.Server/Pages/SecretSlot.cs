using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Latchkey.Server.Pages;

/// <summary>
/// Holds a new token's secret between the POST that made it and the GET that shows it (Post/Redirect/Get), once:
/// the redirect carries only a random key (in TempData), never the secret, and the secret stays in this process's
/// memory for at most <see cref="Lifetime"/>. Taking it removes it, so a reload shows it no more.
/// </summary>
internal sealed class SecretSlot
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public SecretSlot(TimeProvider time) => _time = time;

    /// <summary>Keeps <paramref name="secret"/> for <paramref name="userId"/> and returns the key to claim it with.</summary>
    public string Put(long userId, string secret)
    {
        var now = _time.GetUtcNow();
        foreach (var (key, stale) in _entries)
        {
            if (stale.Expires <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }

        var slot = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _entries[slot] = new Entry(userId, secret, now + Lifetime);
        return slot;
    }

    /// <summary>The secret once, to the user it was kept for; <c>null</c> after that, after its lifetime, or to anyone else.</summary>
    public string? Take(string? slot, long userId)
    {
        if (slot is null || !_entries.TryRemove(slot, out var entry))
        {
            return null;
        }

        return entry.UserId == userId && entry.Expires > _time.GetUtcNow() ? entry.Secret : null;
    }

    private sealed record Entry(long UserId, string Secret, DateTimeOffset Expires)
    {
        public override string ToString() => $"Entry {{ UserId = {UserId} }}";
    }
}

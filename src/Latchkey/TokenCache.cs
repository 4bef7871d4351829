using System.Collections.Concurrent;
using Latchkey.Tokens;
using Microsoft.Extensions.Options;

namespace Latchkey;

/// <summary>
/// Validated tokens by hash, so the per-request check needs no store round trip. Bounded in size. Revocation and
/// every other change invalidate an entry at once (by id); a generation counter stops a lookup that raced an
/// invalidation from putting a stale entry back.
/// </summary>
/// <remarks>
/// A plain concurrent dictionary rather than MemoryCache: the hot path wants a struct key without boxing, and
/// invalidation by token id needs a second index that MemoryCache cannot give.
/// </remarks>
public sealed class TokenCache
{
    private readonly ConcurrentDictionary<TokenHash, CachedToken> _byHash = new();
    private readonly ConcurrentDictionary<long, TokenHash> _byId = new();
    private readonly int _capacity;
    private long _generation;

    public TokenCache(IOptions<LatchkeyOptions> options) => _capacity = options.Value.CacheSize;

    public int Count => _byHash.Count;

    internal long Generation => Interlocked.Read(ref _generation);

    internal bool TryGet(TokenHash hash, out CachedToken entry) => _byHash.TryGetValue(hash, out entry!);

    internal bool TryGet(long tokenId, out CachedToken entry)
    {
        entry = null!;
        return _byId.TryGetValue(tokenId, out var hash) && _byHash.TryGetValue(hash, out entry!);
    }

    /// <summary>Adds an entry looked up under <paramref name="generation"/>, unless an invalidation happened since.</summary>
    internal void Add(CachedToken entry, long generation)
    {
        if (_byHash.Count >= _capacity)
        {
            Trim();
        }

        _byHash[entry.Hash] = entry;
        _byId[entry.Token.TokenId] = entry.Hash;
        if (Generation != generation)
        {
            Remove(entry.Token.TokenId);
        }
    }

    /// <summary>Drops the entries of these tokens; the next request with them goes to the store.</summary>
    public void Invalidate(IEnumerable<long> tokenIds)
    {
        Interlocked.Increment(ref _generation);
        foreach (var id in tokenIds)
        {
            Remove(id);
        }
    }

    public void Invalidate(long tokenId) => Invalidate([tokenId]);

    /// <summary>Drops every entry of a user (their rights or state changed).</summary>
    public void InvalidateUser(long userId)
        => Invalidate(_byHash.Values.Where(e => e.Token.UserId == userId).Select(e => e.Token.TokenId).ToArray());

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _byHash.Clear();
        _byId.Clear();
    }

    private void Remove(long tokenId)
    {
        if (_byId.TryRemove(tokenId, out var hash))
        {
            _byHash.TryRemove(hash, out _);
        }
    }

    // Evicts about a tenth of the entries, whichever the dictionary yields first: cheap, and a miss only costs one lookup.
    private void Trim()
    {
        var excess = Math.Max(1, _capacity / 10);
        foreach (var id in _byId.Keys.Take(excess).ToArray())
        {
            Remove(id);
        }
    }
}

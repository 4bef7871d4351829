using System.Collections.Concurrent;
using Latchkey.Changes;
using Latchkey.Tokens;
using Microsoft.Extensions.Options;

namespace Latchkey;

/// <summary>
/// Validated tokens by hash, so the per-request check needs no store round trip. Bounded in size and in age.
/// It hears of every change to a token through the <see cref="ITokenChangeFeed"/> (this node's writes at once,
/// other nodes' a moment later) and drops the entry; <see cref="LatchkeyOptions.CacheMaxAge"/> is the safety net
/// for a change the feed never delivered. A generation counter stops a lookup that raced an invalidation from
/// putting a stale entry back.
/// </summary>
/// <remarks>
/// A plain concurrent dictionary rather than MemoryCache: the hot path wants a struct key without boxing, and
/// invalidation by token id needs a second index that MemoryCache cannot give. Reads take no lock; adding (after
/// a store read anyway) and dropping do, so the size bound holds under concurrency and an invalidation cannot
/// interleave with an add.
/// </remarks>
public sealed class TokenCache : ITokenChangeSubscriber
{
    private readonly ConcurrentDictionary<TokenHash, CachedToken> _byHash = new();
    private readonly ConcurrentDictionary<long, TokenHash> _byId = new();
    private readonly Lock _writeLock = new();
    private readonly int _capacity;
    private readonly long _maxAgeTicks;
    private readonly TimeProvider _time;
    private long _generation;

    public TokenCache(IOptions<LatchkeyOptions> options, ITokenChangeFeed feed, TimeProvider time)
    {
        _capacity = options.Value.CacheSize;
        _maxAgeTicks = options.Value.CacheMaxAge.Ticks;
        _time = time;
        // For the process's lifetime: the cache is a singleton, as is the feed.
        feed.Subscribe(this);
    }

    public int Count => _byHash.Count;

    internal long Generation => Interlocked.Read(ref _generation);

    /// <summary>The hot path's lookup: an entry older than the maximum age counts as a miss.</summary>
    internal bool TryGet(TokenHash hash, DateTimeOffset now, out CachedToken entry)
        => _byHash.TryGetValue(hash, out entry!) && now.UtcTicks - entry.LoadedAtTicks < _maxAgeTicks;

    internal bool TryGet(long tokenId, out CachedToken entry)
    {
        entry = null!;
        return _byId.TryGetValue(tokenId, out var hash) && TryGet(hash, _time.GetUtcNow(), out entry);
    }

    /// <summary>Adds an entry looked up under <paramref name="generation"/>, unless an invalidation happened since.</summary>
    internal void Add(CachedToken entry, long generation)
    {
        lock (_writeLock)
        {
            if (Generation != generation)
            {
                return;
            }

            if (_byHash.Count >= _capacity && !_byHash.ContainsKey(entry.Hash))
            {
                Trim();
            }

            _byHash[entry.Hash] = entry;
            _byId[entry.Token.TokenId] = entry.Hash;
        }
    }

    /// <summary>Drops the entries of these tokens; the next request with them goes to the store.</summary>
    public void Invalidate(IEnumerable<long> tokenIds)
    {
        lock (_writeLock)
        {
            Interlocked.Increment(ref _generation);
            foreach (var id in tokenIds)
            {
                Remove(id);
            }
        }
    }

    public void Invalidate(long tokenId) => Invalidate([tokenId]);

    /// <summary>Drops every entry of a user (their rights or state changed).</summary>
    public void InvalidateUser(long userId)
        => Invalidate(_byHash.Values.Where(e => e.Token.UserId == userId).Select(e => e.Token.TokenId).ToArray());

    public void Clear()
    {
        lock (_writeLock)
        {
            Interlocked.Increment(ref _generation);
            _byHash.Clear();
            _byId.Clear();
        }
    }

    void ITokenChangeSubscriber.OnChanged(TokenChange change)
    {
        Invalidate(change.TokenIds);
        if (change.UserId is { } userId)
        {
            InvalidateUser(userId);
        }
    }

    void ITokenChangeSubscriber.OnReset() => Clear();

    private void Remove(long tokenId)
    {
        if (_byId.TryRemove(tokenId, out var hash))
        {
            _byHash.TryRemove(hash, out _);
        }
    }

    // Evicts about a tenth of the entries, whichever the dictionary yields first: cheap, and a miss only costs one
    // lookup. Called under the write lock, so concurrent misses cannot all pass the size check before any trims.
    private void Trim()
    {
        var excess = Math.Max(1, _capacity / 10);
        foreach (var entry in _byHash.Values.Take(excess).ToArray())
        {
            _byHash.TryRemove(entry.Hash, out _);
            _byId.TryRemove(entry.Token.TokenId, out _);
        }
    }
}

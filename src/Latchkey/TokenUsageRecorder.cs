using System.Collections.Concurrent;
using Latchkey.Stores;
using Latchkey.Tokens;
using Microsoft.Extensions.Options;

namespace Latchkey;

/// <summary>
/// Collects last-used records in memory and writes them in batches, so a request never waits on a database
/// write. A token is recorded at most once per <see cref="LatchkeyOptions.UsageRecordInterval"/> unless it
/// shows up from a new address. Reads overlay what is still pending, so APIs show fresh values.
/// </summary>
public sealed class TokenUsageRecorder : IDisposable
{
    private readonly ConcurrentDictionary<long, TokenUsage> _pending = new();
    private readonly ITokenStore _store;
    private readonly LatchkeyOptions _options;
    private readonly SemaphoreSlim _flushLock = new(1, 1);

    // The last batch written. A read that fetched its row just before that write committed overlays from here, so
    // it does not miss the use. Replaced whole by each flush, never changed once published.
    private volatile Dictionary<long, TokenUsage> _written = [];

    public TokenUsageRecorder(ITokenStore store, IOptions<LatchkeyOptions> options)
    {
        _store = store;
        _options = options.Value;
    }

    public int PendingCount => _pending.Count;

    internal void Record(CachedToken entry, DateTimeOffset now, string? ip)
    {
        if (entry.TryMarkUsed(now, ip, _options.UsageRecordInterval, _options.LastUsedIpCount, out var ips))
        {
            _pending[entry.Token.TokenId] = new TokenUsage(entry.Token.TokenId, now, ips);
        }
    }

    /// <summary>The token with any usage not yet written applied (or written by the last flush, for a row read just before).</summary>
    public PersonalAccessToken Overlay(PersonalAccessToken token)
        => (_pending.TryGetValue(token.Id, out var usage) || _written.TryGetValue(token.Id, out usage))
            && (token.LastUsedAt is null || usage.LastUsedAt > token.LastUsedAt)
            ? token with { LastUsedAt = usage.LastUsedAt, LastUsedIps = usage.LastUsedIps }
            : token;

    /// <summary>Writes everything pending in one batch. Safe to call concurrently and on shutdown.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken);
        try
        {
            if (_pending.IsEmpty)
            {
                return;
            }

            // Records leave the pending set only once they are in the store: a read meanwhile must still see them.
            var batch = _pending.ToDictionary();
            await _store.RecordUsageAsync(batch.Values, cancellationToken);
            _written = batch;
            foreach (var written in batch)
            {
                // A newer record that landed meanwhile stays for the next flush.
                _pending.TryRemove(written);
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    public void Dispose() => _flushLock.Dispose();
}

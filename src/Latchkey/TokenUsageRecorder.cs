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

    /// <summary>The token with any usage not yet written applied.</summary>
    public PersonalAccessToken Overlay(PersonalAccessToken token)
        => _pending.TryGetValue(token.Id, out var usage) && (token.LastUsedAt is null || usage.LastUsedAt > token.LastUsedAt)
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

            var batch = new List<TokenUsage>(_pending.Count);
            foreach (var (id, usage) in _pending)
            {
                // Only remove what we write; a newer record that lands meanwhile stays for the next flush.
                if (_pending.TryRemove(new KeyValuePair<long, TokenUsage>(id, usage)))
                {
                    batch.Add(usage);
                }
            }

            try
            {
                await _store.RecordUsageAsync(batch, cancellationToken);
            }
            catch
            {
                foreach (var usage in batch)
                {
                    _pending.TryAdd(usage.TokenId, usage);
                }

                throw;
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    public void Dispose() => _flushLock.Dispose();
}

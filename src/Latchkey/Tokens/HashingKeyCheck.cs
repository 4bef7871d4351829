using System.Globalization;
using Latchkey.Stores;

namespace Latchkey.Tokens;

/// <summary>
/// Compares this node's hashing keys with what the store recorded, once, at start-up (after the store's migration).
/// Every node of an installation must hash with the same keys: a node that generated its own key file, or lost one,
/// would turn every token the others issued away. So a node refuses to start when
/// <list type="bullet">
/// <item>a key id it holds was first used, by any node, with a different key (the check values differ), or</item>
/// <item>live tokens or unused recovery codes were hashed with a key id it does not hold.</item>
/// </list>
/// Otherwise the keys it holds that the store has not seen are recorded as first used now. Nothing is recorded by a
/// node that is refused, so a wrong key never takes an id from the right one. Without an <see cref="IHashingKeyStore"/>
/// (a store of the host's own) there is nothing to compare with and the check passes.
/// </summary>
public sealed class HashingKeyCheck
{
    private readonly TokenKeyRing _keys;
    private readonly TokenHasher _hasher;
    private readonly TimeProvider _time;
    private readonly IHashingKeyStore? _store;
    private volatile bool _passed;

    public HashingKeyCheck(TokenKeyRing keys, TokenHasher hasher, TimeProvider time, IHashingKeyStore? store = null)
    {
        _keys = keys;
        _hasher = hasher;
        _time = time;
        _store = store;
    }

    /// <summary>
    /// Throws <see cref="HashingKeyMismatchException"/>, with one line naming the key id and what to copy, when this
    /// node's keys do not fit the store's; records its new keys otherwise. Runs against the store once per process.
    /// </summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        if (_store is null || _passed)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var ours = _keys.KeyIds.Order(StringComparer.Ordinal)
            .Select(id => new RecordedHashingKey(id, _hasher.KeyCheckValue(id)!, now))
            .ToList();
        var recorded = await _store.ListRecordedAsync(cancellationToken);
        ThrowIfAnyDiffers(ours, recorded);

        foreach (var needed in (await _store.ListKeyIdsInUseAsync(now, cancellationToken)).Order(StringComparer.Ordinal))
        {
            if (!ours.Any(key => key.KeyId == needed))
            {
                throw new HashingKeyMismatchException(
                    needed,
                    $"tokens or recovery codes in the database were hashed with the hashing key '{needed}', which this node does not have. " +
                    $"{CopyAdvice(needed)}");
            }
        }

        var unrecorded = ours.Where(key => !recorded.Any(known => known.KeyId == key.KeyId)).ToList();
        if (unrecorded.Count > 0)
        {
            // Another node may record the same id at the same moment: the first record stands, so read it back.
            await _store.RecordAsync(unrecorded, cancellationToken);
            ThrowIfAnyDiffers(ours, await _store.ListRecordedAsync(cancellationToken));
        }

        _passed = true;
    }

    private static void ThrowIfAnyDiffers(IReadOnlyList<RecordedHashingKey> ours, IReadOnlyList<RecordedHashingKey> recorded)
    {
        foreach (var key in ours)
        {
            if (recorded.FirstOrDefault(known => known.KeyId == key.KeyId) is { } known && known.CheckValue != key.CheckValue)
            {
                var since = known.FirstUsedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
                throw new HashingKeyMismatchException(
                    key.KeyId,
                    $"this node's hashing key '{key.KeyId}' is not the key '{key.KeyId}' first used with this database (on {since}); every node needs the same keys. " +
                    $"{CopyAdvice(key.KeyId)}");
            }
        }
    }

    private static string CopyAdvice(string keyId)
        => $"Copy the hashing key file (Latchkey:Hashing:KeyFile) of the node that first used it over this node's, or set the same Latchkey:Hashing:Keys:{keyId} here, then start this node again.";
}

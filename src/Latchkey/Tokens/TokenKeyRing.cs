namespace Latchkey.Tokens;

/// <summary>
/// The hashing keys, by id. New tokens are hashed with the current key; a token names its key in its own text,
/// so adding a key and making it current rotates the pepper without invalidating live tokens.
/// </summary>
public sealed class TokenKeyRing
{
    public const int MinimumKeyBytes = 32;

    private readonly (string Id, byte[] Key)[] _keys;

    public TokenKeyRing(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (id, key) in keys)
        {
            if (!TokenFormat.IsValidKeyId(id))
            {
                throw new ArgumentException($"Hashing key id '{id}' must be exactly two letters or digits.", nameof(keys));
            }

            if (key.Length < MinimumKeyBytes)
            {
                throw new ArgumentException($"Hashing key '{id}' must be at least {MinimumKeyBytes} bytes.", nameof(keys));
            }
        }

        if (!keys.ContainsKey(currentKeyId))
        {
            throw new ArgumentException($"The current hashing key id '{currentKeyId}' is not among the configured keys.", nameof(currentKeyId));
        }

        CurrentKeyId = currentKeyId;
        _keys = keys.Select(pair => (pair.Key, pair.Value.ToArray())).ToArray();
    }

    public string CurrentKeyId { get; }

    public IEnumerable<string> KeyIds => _keys.Select(k => k.Id);

    internal bool TryGetKey(ReadOnlySpan<char> id, out byte[] key)
    {
        foreach (var entry in _keys)
        {
            if (id.SequenceEqual(entry.Id))
            {
                key = entry.Key;
                return true;
            }
        }

        key = [];
        return false;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Latchkey.Tokens;

/// <summary>
/// The one place that touches HMAC-SHA256 and constant-time comparison. Tokens are stored only as
/// HMAC-SHA256(key, token) where the key ("pepper") lives outside the database, so a stolen database alone
/// yields nothing that authenticates and nothing that can be brute-forced offline.
/// </summary>
public sealed class TokenHasher
{
    private readonly TokenKeyRing _keys;

    public TokenHasher(TokenKeyRing keys) => _keys = keys;

    /// <summary>The id of the key new tokens are hashed with.</summary>
    public string CurrentKeyId => _keys.CurrentKeyId;

    /// <summary>Hashes a parsed token with the key its own key id names; false when that key is unknown.</summary>
    public bool TryHash(in ParsedToken token, out TokenHash hash)
    {
        if (!_keys.TryGetKey(token.KeyId, out var key))
        {
            hash = default;
            return false;
        }

        hash = Hash(key, token.Canonical);
        return true;
    }

    /// <summary>Hashes a token string this process has just generated.</summary>
    public TokenHash HashNew(string token)
    {
        if (!TokenFormat.TryParse(token, out var parsed) || !TryHash(parsed, out var hash))
        {
            throw new InvalidOperationException("A freshly generated token did not parse; the key ring or format is misconfigured.");
        }

        return hash;
    }

    /// <summary>
    /// A keyed fingerprint of text that must not be stored as it is but should be recognisable when it comes again
    /// (an unknown username at sign-in, which may be a password typed in the wrong field). HMAC-SHA256 under a key
    /// derived from the current hashing key and <paramref name="purpose"/>, so it cannot be guessed back offline
    /// without the key and never equals a token hash. Names the key it was made under, as tokens do.
    /// </summary>
    public string Fingerprint(string purpose, string text) => Fingerprint(_keys.CurrentKeyId, purpose, text)!;

    /// <summary>
    /// Whether <paramref name="fingerprint"/> is <see cref="Fingerprint"/> of <paramref name="text"/> for
    /// <paramref name="purpose"/> under the key it names — the current one or an older one this node still holds, so
    /// one made just before a key rotation still counts — compared in constant time: a value only a holder of the
    /// hashing key can make, for things that must not be forgeable from the database alone.
    /// </summary>
    public bool IsFingerprint(string purpose, string text, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var separator = fingerprint.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            && Fingerprint(fingerprint[..separator], purpose, text) is { } expected
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(fingerprint));
    }

    private string? Fingerprint(string keyId, string purpose, string text)
    {
        if (!_keys.TryGetKey(keyId, out var key))
        {
            return null;
        }

        Span<byte> purposeKey = stackalloc byte[TokenHash.Size];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("latchkey fingerprint: " + purpose), purposeKey);
        Span<byte> mac = stackalloc byte[TokenHash.Size];
        HMACSHA256.HashData(purposeKey, Encoding.UTF8.GetBytes(text), mac);

        // 96 bits tell attempts apart; the full MAC would add nothing an auditor needs.
        return $"{keyId}:{Convert.ToHexStringLower(mac[..12])}";
    }

    /// <summary>
    /// A keyed hash of a short secret the user will present again (a recovery code), under the current key and a key
    /// derived from it for <paramref name="purpose"/>; returns the key's id too, to be stored with the hash.
    /// </summary>
    public (string KeyId, TokenHash Hash) HashSecret(string purpose, string text)
    {
        TryHashSecret(purpose, _keys.CurrentKeyId, text, out var hash);
        return (_keys.CurrentKeyId, hash);
    }

    /// <summary>The same hash under the key <paramref name="keyId"/> names; false when that key is gone.</summary>
    public bool TryHashSecret(string purpose, string keyId, string text, out TokenHash hash)
    {
        if (!_keys.TryGetKey(keyId, out var key))
        {
            hash = default;
            return false;
        }

        Span<byte> purposeKey = stackalloc byte[TokenHash.Size];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("latchkey secret: " + purpose), purposeKey);
        Span<byte> mac = stackalloc byte[TokenHash.Size];
        HMACSHA256.HashData(purposeKey, Encoding.UTF8.GetBytes(text), mac);
        hash = new TokenHash(mac);
        return true;
    }

    /// <summary>
    /// A short check value of the key <paramref name="keyId"/> names (the first 8 bytes of an HMAC of a fixed label
    /// under it, hex), or null when the ring lacks that key. Nodes compare it through the store to find out whether
    /// they hold the same key under the same id; it reveals nothing of the key itself.
    /// </summary>
    public string? KeyCheckValue(string keyId)
    {
        if (!_keys.TryGetKey(keyId, out var key))
        {
            return null;
        }

        Span<byte> mac = stackalloc byte[TokenHash.Size];
        HMACSHA256.HashData(key, "latchkey key check"u8, mac);
        return Convert.ToHexStringLower(mac[..8]);
    }

    /// <summary>Compares two hashes in constant time.</summary>
    public static bool Matches(TokenHash expected, TokenHash actual)
    {
        Span<byte> a = stackalloc byte[TokenHash.Size];
        Span<byte> b = stackalloc byte[TokenHash.Size];
        System.Runtime.InteropServices.MemoryMarshal.Write(a, in expected);
        System.Runtime.InteropServices.MemoryMarshal.Write(b, in actual);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static TokenHash Hash(byte[] key, ReadOnlySpan<char> canonical)
    {
        Span<byte> utf8 = stackalloc byte[TokenFormat.MaxTokenLength];
        var length = Encoding.ASCII.GetBytes(canonical, utf8);
        Span<byte> mac = stackalloc byte[TokenHash.Size];
        HMACSHA256.HashData(key, utf8[..length], mac);
        return new TokenHash(mac);
    }
}

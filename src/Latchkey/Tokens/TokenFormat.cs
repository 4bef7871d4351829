using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Latchkey.Tokens;

/// <summary>
/// The one place that builds and parses token strings.
/// </summary>
/// <remarks>
/// A token is <c>{prefix}{random}{keyId}{checksum}</c>: a configurable prefix (so secret scanners and people can
/// recognise it), 30 base62 characters from a CSPRNG (≈178 bits), a 2-character id of the hashing key, and a
/// 6-character base62 CRC-32 of everything before it. The checksum lets a typo or a random string be rejected
/// without touching the store; it is not a security feature. Laravel Sanctum sends tokens as <c>{id}|{token}</c>;
/// that form is accepted too and the id is reported so the validator can check it belongs to the token.
/// </remarks>
public static class TokenFormat
{
    public const int RandomLength = 30;
    public const int KeyIdLength = 2;
    public const int ChecksumLength = 6;
    public const int BodyLength = RandomLength + KeyIdLength + ChecksumLength;
    public const int MaxPrefixLength = 32;
    public const int MaxTokenLength = 20 + 1 + MaxPrefixLength + BodyLength;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Creates a new token string for <paramref name="prefix"/> hashed under key <paramref name="keyId"/>.</summary>
    public static string Generate(string prefix, string keyId)
    {
        if (!IsValidPrefix(prefix))
        {
            throw new ArgumentException("A token prefix is at most 32 characters of letters, digits, '_', '-' or ':'.", nameof(prefix));
        }

        if (!IsValidKeyId(keyId))
        {
            throw new ArgumentException("A key id is exactly two base62 characters.", nameof(keyId));
        }

        var length = prefix.Length + BodyLength;
        return string.Create(length, (prefix, keyId), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            var random = span.Slice(state.prefix.Length, RandomLength);
            RandomNumberGenerator.GetItems(Alphabet, random);
            state.keyId.AsSpan().CopyTo(span.Slice(state.prefix.Length + RandomLength, KeyIdLength));
            var checksummed = span[..^ChecksumLength];
            WriteBase62(Crc32(checksummed), span[^ChecksumLength..]);
        });
    }

    /// <summary>
    /// Checks the shape and checksum of a presented credential without any I/O.
    /// </summary>
    public static bool TryParse(string? presented, out ParsedToken token)
    {
        token = default;
        if (presented is null || presented.Length < BodyLength || presented.Length > MaxTokenLength)
        {
            return false;
        }

        long? claimedId = null;
        var start = 0;
        var bar = presented.IndexOf('|', StringComparison.Ordinal);
        if (bar >= 0)
        {
            if (bar == 0 || bar > 19 || !long.TryParse(presented.AsSpan(0, bar), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
            {
                return false;
            }

            claimedId = id;
            start = bar + 1;
        }

        var canonical = presented.AsSpan(start);
        if (canonical.Length < BodyLength || canonical.Length > MaxPrefixLength + BodyLength)
        {
            return false;
        }

        var prefixLength = canonical.Length - BodyLength;
        if (!IsValidPrefix(canonical[..prefixLength]))
        {
            return false;
        }

        foreach (var c in canonical[prefixLength..])
        {
            if (!IsBase62(c))
            {
                return false;
            }
        }

        Span<char> expected = stackalloc char[ChecksumLength];
        WriteBase62(Crc32(canonical[..^ChecksumLength]), expected);
        if (!expected.SequenceEqual(canonical[^ChecksumLength..]))
        {
            return false;
        }

        token = new ParsedToken(presented, start, claimedId);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="presented"/> is shaped like a token — a prefix and a 38-character base62 body — whether
    /// or not its checksum holds: a token with a typo is still a token, where an account password is not.
    /// </summary>
    public static bool HasTokenShape(ReadOnlySpan<char> presented)
    {
        var bar = presented.IndexOf('|');
        var canonical = bar >= 0 ? presented[(bar + 1)..] : presented;
        if (canonical.Length < BodyLength || canonical.Length > MaxPrefixLength + BodyLength || !IsValidPrefix(canonical[..^BodyLength]))
        {
            return false;
        }

        foreach (var c in canonical[^BodyLength..])
        {
            if (!IsBase62(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidPrefix(ReadOnlySpan<char> prefix)
    {
        if (prefix.Length > MaxPrefixLength)
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (!(IsBase62(c) || c is '_' or '-' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidKeyId([NotNullWhen(true)] string? keyId)
        => keyId is { Length: KeyIdLength } && IsBase62(keyId[0]) && IsBase62(keyId[1]);

    private static bool IsBase62(char c) => char.IsAsciiLetterOrDigit(c);

    private static void WriteBase62(uint value, Span<char> destination)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    // CRC-32 (IEEE) over the UTF-16 code units, which are all ASCII here.
    private static uint Crc32(ReadOnlySpan<char> text)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var c in text)
        {
            crc = CrcTable[(crc ^ (byte)c) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }
}

using System.Security.Cryptography;

namespace Latchkey.Users;

/// <summary>
/// Single-use recovery codes: <see cref="Count"/> of them, each ten characters of Crockford's Base32
/// (50 bits) written <c>xxxxx-xxxxx</c>. Compared without regard to case, dashes or spaces, so a code read aloud or
/// pasted with a stray space still works.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    public const int Length = 10;

    // Crockford's Base32: no i, l, o or u, which are easily misread; those typed anyway are read as 1, 1, 0 (as Crockford says).
    private const string Symbols = "0123456789abcdefghjkmnpqrstvwxyz";

    public static IReadOnlyList<string> Generate()
    {
        var codes = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            var chars = new char[Length];
            for (var j = 0; j < Length; j++)
            {
                chars[j] = Symbols[RandomNumberGenerator.GetInt32(Symbols.Length)];
            }

            codes[i] = $"{new string(chars, 0, Length / 2)}-{new string(chars, Length / 2, Length / 2)}";
        }

        return codes;
    }

    /// <summary>The form a code is hashed in (lower case, no dashes or spaces); <c>null</c> when it cannot be one.</summary>
    public static string? Normalize(string code)
    {
        if (code.Length > 2 * Length)
        {
            return null;
        }

        var kept = code.Where(c => c is not ('-' or ' ')).Select(char.ToLowerInvariant).Select(c => c switch { 'o' => '0', 'i' or 'l' => '1', _ => c }).ToArray();
        return kept.Length == Length && kept.All(c => Symbols.Contains(c)) ? new string(kept) : null;
    }
}

using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace Latchkey.Users;

/// <summary>
/// RFC 6238 time-based codes as authenticator apps make them: 30-second steps, 6 digits, HMAC-SHA-1, a 20-byte
/// secret (RFC 4226's recommended length), shown as Base32 and as an <c>otpauth://</c> URI with the defaults left
/// implicit, which every app reads. A code is accepted one step either side of the current one for clock drift.
/// </summary>
public static class AuthenticatorKey
{
    public const int SecretBytes = 20;
    public const int Digits = 6;
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    public const string Issuer = "Latchkey";

    private static readonly VerificationWindow OneStepEitherSide = new(previous: 1, future: 1);

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>The secret in Base32 (RFC 4648, no padding), as apps expect it typed in.</summary>
    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    /// <summary>The Base32 key in groups of four, easier to type by hand (Identity's manage pages do the same).</summary>
    public static string Grouped(string base32)
    {
        var text = new StringBuilder(base32.Length + base32.Length / 4);
        for (var i = 0; i < base32.Length; i += 4)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(base32.AsSpan(i, Math.Min(4, base32.Length - i)));
        }

        return text.ToString();
    }

    /// <summary><c>otpauth://totp/Latchkey:&lt;username&gt;?secret=…&amp;issuer=Latchkey</c> (Key Uri Format).</summary>
    public static string OtpAuthUri(string username, byte[] secret)
        => $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(username)}?secret={Base32(secret)}&issuer={Uri.EscapeDataString(Issuer)}";

    /// <summary>The time step an instant falls in (seconds since the epoch / 30).</summary>
    public static long Step(DateTimeOffset at) => at.ToUnixTimeSeconds() / (long)Period.TotalSeconds;

    /// <summary>The code for <paramref name="at"/>, with <paramref name="digits"/> digits (6 for apps; RFC 6238's vectors use 8).</summary>
    public static string Compute(byte[] secret, DateTimeOffset at, int digits = Digits)
        => new Totp(secret, (int)Period.TotalSeconds, OtpHashMode.Sha1, digits).ComputeTotp(at.UtcDateTime);

    /// <summary>
    /// Whether <paramref name="code"/> is the code of the step <paramref name="now"/> falls in or one either side,
    /// and that step is after <paramref name="lastStep"/> (an accepted code cannot be accepted again, nor an older
    /// one); <paramref name="step"/> is the step it matched, to be recorded.
    /// </summary>
    public static bool TryVerify(byte[] secret, string code, DateTimeOffset now, long? lastStep, out long step)
    {
        step = 0;
        if (!IsCodeShaped(code))
        {
            return false;
        }

        var totp = new Totp(secret, (int)Period.TotalSeconds, OtpHashMode.Sha1, Digits);
        if (!totp.VerifyTotp(now.UtcDateTime, code, out step, OneStepEitherSide))
        {
            return false;
        }

        return lastStep is not { } last || step > last;
    }

    /// <summary>The code without the spaces apps show in it (<c>123 456</c>) or a paste brings along.</summary>
    public static string Compact(string code) => code.Replace(" ", string.Empty, StringComparison.Ordinal).Trim();

    /// <summary>Six ASCII digits: anything else is not an authenticator code (it may be a recovery code).</summary>
    public static bool IsCodeShaped(string code) => code.Length == Digits && code.All(char.IsAsciiDigit);
}

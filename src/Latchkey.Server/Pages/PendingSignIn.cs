using Latchkey.Tokens;
using Microsoft.AspNetCore.DataProtection;

namespace Latchkey.Server.Pages;

/// <summary>
/// A sign-in whose password was right, waiting for its second factor: the user id alone (never the password), in a
/// short-lived cookie protected by Data Protection like Identity's <c>TwoFactorUserId</c>, so it cannot be forged,
/// read or kept past <see cref="Lifetime"/>. Sent only to the sign-in pages. The id comes with a fingerprint under the
/// hashing key: on PostgreSQL the Data Protection keys are in the database, and a copy of it must not let anyone make
/// this cookie and skip a user's password (the copy also holds the encrypted authenticator keys, readable with those keys).
/// </summary>
internal sealed class PendingSignIn
{
    public const string CookieName = "latchkey_two_factor";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const string Purpose = "Latchkey.Ui.PendingSignIn.v1";
    private const string CookiePath = "/users/sign_in";

    private readonly ITimeLimitedDataProtector _protector;
    private readonly TokenHasher _hasher;
    private readonly TimeProvider _time;

    public PendingSignIn(IDataProtectionProvider provider, TokenHasher hasher, TimeProvider time)
    {
        _protector = provider.CreateProtector(Purpose).ToTimeLimitedDataProtector();
        _hasher = hasher;
        _time = time;
    }

    public void Start(HttpContext context, long userId)
    {
        var id = userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var payload = $"{id} {_hasher.Fingerprint(Purpose, id)}";
        context.Response.Cookies.Append(CookieName, _protector.Protect(payload, _time.GetUtcNow() + Lifetime), Options(context));
    }

    /// <summary>The user whose password was checked, or <c>null</c> when there is no pending sign-in (none, expired, tampered with, or not made with this installation's hashing key).</summary>
    public long? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || value.Length == 0)
        {
            return null;
        }

        try
        {
            var text = _protector.Unprotect(value, out var expiration);
            return expiration > _time.GetUtcNow()
                && text.Split(' ') is [var id, var fingerprint]
                && _hasher.IsFingerprint(Purpose, id, fingerprint)
                && long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var userId)
                ? userId
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public static void End(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context));

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = CookiePath,
        IsEssential = true,
        MaxAge = Lifetime,
    };
}

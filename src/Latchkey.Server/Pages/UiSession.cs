using Latchkey.AspNetCore;
using Latchkey.Tokens;

namespace Latchkey.Server.Pages;

/// <summary>The browser's session cookie: set at sign-in, deleted at sign-out, and the actor it stands for.</summary>
internal static class UiSession
{
    /// <summary>
    /// Hands the browser its session: HttpOnly (scripts never see it), SameSite=Lax (other sites' forms do not send
    /// it), Secure over HTTPS, for the whole site, and gone when the session expires. The twofactor step calls this
    /// too, once the second factor is checked.
    /// </summary>
    public static void Start(HttpContext context, IssuedToken session)
        => context.Response.Cookies.Append(UiDefaults.CookieName, session.Secret, Options(context, session.Token.ExpiresAt));

    public static void End(HttpContext context)
        => context.Response.Cookies.Delete(UiDefaults.CookieName, Options(context, null));

    /// <summary>The signed-in user as the engine's actor, reaching only their own tokens (an administrator too: the Admin pages are elsewhere).</summary>
    public static TokenActor Actor(HttpContext context) => context.GetTokenActor().OwnTokensOnly();

    /// <summary>
    /// <paramref name="returnTo"/> if it is a path on this site (<c>/x</c>, not <c>//host</c> or <c>/\host</c>),
    /// else the home page: a sign-in link must not send anyone elsewhere.
    /// </summary>
    public static string SafeReturnTo(string? returnTo)
        => returnTo is { Length: > 1 } && returnTo[0] == '/' && returnTo[1] is not '/' and not '\\' && !returnTo.Any(char.IsControl)
            ? returnTo
            : UiDefaults.HomePath;

    /// <summary><paramref name="path"/> with where to go after it (<see cref="SafeReturnTo"/>) in <c>return_to</c>.</summary>
    public static string WithReturnTo(string path, string? returnTo)
        => $"{path}?{UiDefaults.ReturnToParameter}={Uri.EscapeDataString(SafeReturnTo(returnTo))}";

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
        Expires = expires,
    };
}

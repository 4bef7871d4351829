namespace Latchkey.Server.Pages;

/// <summary>The names the web UI is built from: its authentication scheme, cookie, policies and paths.</summary>
internal static class UiDefaults
{
    /// <summary>
    /// A second Latchkey scheme that reads the session from <see cref="CookieName"/> and nothing else. Only the UI
    /// pages authenticate with it; the API schemes never read the cookie, so a cross-site request cannot use it there.
    /// </summary>
    public const string Scheme = "LatchkeyUi";

    public const string CookieName = "latchkey_session";

    /// <summary>A signed-in browser session (the pages under /UserSettings and /Admin).</summary>
    public const string Policy = "LatchkeyUi";

    public const string SignInPath = "/users/sign_in";

    public const string ReturnToParameter = "return_to";

    /// <summary>Where a signed-in visitor lands: their personal access tokens, at GitLab's address.</summary>
    public const string HomePath = "/-/user_settings/personal_access_tokens";
}

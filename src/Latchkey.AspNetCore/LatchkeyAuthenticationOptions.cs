using Microsoft.AspNetCore.Authentication;

namespace Latchkey.AspNetCore;

/// <summary>
/// Where the handler looks for a credential and how it challenges. Bound from <c>Latchkey:Authentication</c>, then
/// the delegate given to <c>AddLatchkey</c>.
/// </summary>
public sealed class LatchkeyAuthenticationOptions : AuthenticationSchemeOptions
{
    public LatchkeyAuthenticationOptions() => Events = new LatchkeyAuthenticationEvents();

    /// <summary>Accept <c>?private_token=</c> (GitLab). Query strings end up in logs and browser history; switch off where no client needs it.</summary>
    public bool AllowQueryString { get; set; } = true;

    /// <summary>Accept <c>PRIVATE-TOKEN:</c> (GitLab).</summary>
    public bool AllowPrivateTokenHeader { get; set; } = true;

    /// <summary>Accept HTTP Basic with the token as the password and any username (Git over HTTP).</summary>
    public bool AllowBasic { get; set; } = true;

    /// <summary>Accept a bare <c>Authorization: &lt;token&gt;</c> with no scheme (Unleash).</summary>
    public bool AllowBareAuthorization { get; set; } = true;

    /// <summary>
    /// Read the token from this cookie when no header or query position carries one; <c>null</c> (the default)
    /// reads no cookie. Browsers send cookies on their own, so a host that sets this must protect its unsafe
    /// methods against cross-site requests (SameSite=Strict cookies, or antiforgery tokens).
    /// </summary>
    public string? CookieName { get; set; }

    /// <summary>The realm named in <c>WWW-Authenticate</c>.</summary>
    public string Realm { get; set; } = "Latchkey";

    /// <summary>Hooks into reading the credential and writing the challenge.</summary>
    public new LatchkeyAuthenticationEvents Events
    {
        get => (LatchkeyAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }
}

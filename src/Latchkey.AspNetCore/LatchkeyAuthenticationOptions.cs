using Microsoft.AspNetCore.Authentication;

namespace Latchkey.AspNetCore;

/// <summary>Where the handler looks for a credential. Bound from <c>Latchkey:Authentication</c>.</summary>
public sealed class LatchkeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Accept <c>?private_token=</c> (GitLab). Query strings end up in logs and browser history; switch off where no client needs it.</summary>
    public bool AllowQueryString { get; set; } = true;

    /// <summary>Accept <c>PRIVATE-TOKEN:</c> (GitLab).</summary>
    public bool AllowPrivateTokenHeader { get; set; } = true;

    /// <summary>Accept HTTP Basic with the token as the password and any username (Git over HTTP).</summary>
    public bool AllowBasic { get; set; } = true;

    /// <summary>Accept a bare <c>Authorization: &lt;token&gt;</c> with no scheme (Unleash).</summary>
    public bool AllowBareAuthorization { get; set; } = true;

    /// <summary>The realm named in <c>WWW-Authenticate</c>.</summary>
    public string Realm { get; set; } = "Latchkey";
}

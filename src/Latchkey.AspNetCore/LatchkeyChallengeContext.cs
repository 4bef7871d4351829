using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore;

/// <summary>What <see cref="LatchkeyAuthenticationEvents.OnChallenge"/> sees and may change before a 401 is written.</summary>
public sealed class LatchkeyChallengeContext : PropertiesContext<LatchkeyAuthenticationOptions>
{
    public LatchkeyChallengeContext(HttpContext context, AuthenticationScheme scheme, LatchkeyAuthenticationOptions options, AuthenticationProperties properties, string? error, string wwwAuthenticate)
        : base(context, scheme, options, properties)
    {
        Error = error;
        WwwAuthenticate = wwwAuthenticate;
    }

    /// <summary><c>invalid_token</c> when a credential was presented and refused; <c>null</c> when there was none.</summary>
    public string? Error { get; }

    /// <summary>
    /// The <c>WWW-Authenticate</c> value to send; by default <c>Bearer realm="…"</c> (with <c>error="invalid_token"</c>
    /// after a refused credential). <c>null</c> or empty sends none.
    /// </summary>
    public string? WwwAuthenticate { get; set; }

    /// <summary>Whether the event wrote the response itself; the handler then writes nothing.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the handler's own 401 response: the event has written one.</summary>
    public void HandleResponse() => Handled = true;
}

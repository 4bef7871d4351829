using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore;

/// <summary>What <see cref="LatchkeyAuthenticationEvents.OnMessageReceived"/> sees and may set.</summary>
public sealed class LatchkeyMessageReceivedContext : ResultContext<LatchkeyAuthenticationOptions>
{
    public LatchkeyMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, LatchkeyAuthenticationOptions options)
        : base(context, scheme, options)
    {
    }

    /// <summary>The credential to validate; when left <c>null</c>, the handler reads the request's usual positions.</summary>
    public string? Token { get; set; }
}

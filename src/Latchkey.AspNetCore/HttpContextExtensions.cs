using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore;

/// <summary>Reads what the Latchkey handler established about a request, and writes what its refusals share.</summary>
public static class HttpContextExtensions
{
    /// <summary>The token the request authenticated with, or <c>null</c>.</summary>
    public static AuthenticatedToken? GetLatchkeyToken(this HttpContext context)
        => (context.User.Identity as LatchkeyIdentity)?.Token;

    /// <summary>The request's caller as the engine's <see cref="TokenActor"/>; throws when unauthenticated.</summary>
    public static TokenActor GetTokenActor(this HttpContext context)
        => TokenActor.From(
            context.GetLatchkeyToken() ?? throw new InvalidOperationException("The request is not authenticated by Latchkey; require authorization on the endpoint."),
            context.Connection.RemoteIpAddress?.ToString());

    /// <summary>Responses that carry a secret or an answer about a token must not be stored by any cache (RFC 6749 §5.1, RFC 7662 §2.2).</summary>
    public static void SetNoStore(this HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>Says in whole seconds, rounded up, when a refused client (429) may try again.</summary>
    public static void SetRetryAfter(this HttpResponse response, TimeSpan retryAfter)
        => response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}

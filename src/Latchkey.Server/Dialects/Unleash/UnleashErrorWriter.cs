using Latchkey.AspNetCore;
using Microsoft.Net.Http.Headers;

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>Latchkey's 401, 403, 429 and 503 in Unleash's words.</summary>
internal sealed class UnleashErrorWriter : ILatchkeyErrorWriter
{
    public static readonly UnleashErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope)
    {
        var body = error switch
        {
            // Unleash says "no authorization header" only when there is none; a header it cannot use (say
            // "Token abc", which is no scheme Latchkey reads) is a failed log-in, as Unleash treats any header it
            // cannot match to a token.
            LatchkeyAuthError.MissingCredential when context.Request.Headers[HeaderNames.Authorization].ToString().Trim().Length == 0
                => UnleashErrors.AuthenticationRequired(),
            LatchkeyAuthError.MissingCredential or LatchkeyAuthError.InvalidToken => UnleashErrors.Unauthorized(),
            LatchkeyAuthError.InsufficientScope => UnleashErrors.NoAccess(scope),
            LatchkeyAuthError.TooManyFailures => UnleashErrors.RateLimited(),
            LatchkeyAuthError.StoreUnavailable => UnleashErrors.Unavailable(),
            _ => UnleashErrors.NoAccess(null),
        };
        return context.Response.WriteAsJsonAsync(body, UnleashJson.Options, context.RequestAborted);
    }
}

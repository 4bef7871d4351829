using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// The OAuth endpoints' 401, 403, 429 and 503 bodies in OAuth's shape (<c>{"error","error_description"}</c>, the
/// RFC 6750 error codes, RFC 6749's <c>temporarily_unavailable</c>); the handler has already set the status and
/// <c>WWW-Authenticate</c> or <c>Retry-After</c>. Public so a host's own OAuth endpoints (a token endpoint) answer alike.
/// </summary>
public sealed class OAuthErrorWriter : ILatchkeyErrorWriter
{
    public static readonly OAuthErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope)
    {
        var body = error switch
        {
            LatchkeyAuthError.MissingCredential => new OAuthError("invalid_client", "Authenticate with a token holding the 'introspect' scope (Bearer, or as the HTTP Basic password)."),
            LatchkeyAuthError.InvalidToken => new OAuthError("invalid_token", "The token is invalid, expired or revoked."),
            LatchkeyAuthError.InsufficientScope => new OAuthError("insufficient_scope", $"The token lacks the '{scope}' scope this request needs."),
            LatchkeyAuthError.TooManyFailures => new OAuthError("temporarily_unavailable", "Too many invalid tokens came from this address; wait before trying again."),
            LatchkeyAuthError.StoreUnavailable => new OAuthError("temporarily_unavailable", LatchkeyDefaults.StoreUnavailableMessage),
            _ => new OAuthError("access_denied", "You are not allowed to do this."),
        };
        return context.Response.WriteAsJsonAsync(body, OAuthResults.Json, context.RequestAborted);
    }
}

namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>The headers forward-auth reads from the proxy and answers with.</summary>
public static class ForwardAuthHeaders
{
    /// <summary>nginx (<c>proxy_set_header X-Original-Method $request_method</c>).</summary>
    public const string OriginalMethod = "X-Original-Method";

    /// <summary>nginx (<c>proxy_set_header X-Original-URI $request_uri</c>).</summary>
    public const string OriginalUri = "X-Original-URI";

    /// <summary>Traefik, Caddy.</summary>
    public const string ForwardedMethod = "X-Forwarded-Method";

    /// <summary>Traefik, Caddy.</summary>
    public const string ForwardedUri = "X-Forwarded-Uri";

    /// <summary>Traefik, Caddy; else the request's <c>Host</c>.</summary>
    public const string ForwardedHost = "X-Forwarded-Host";

    /// <summary>Answer: the username of the credential's owner.</summary>
    public const string User = "X-Latchkey-User";

    /// <summary>Answer: the owner's user id.</summary>
    public const string UserId = "X-Latchkey-User-Id";

    /// <summary>Answer: the token's id (absent when an account password passed a Git rule).</summary>
    public const string TokenId = "X-Latchkey-Token-Id";

    /// <summary>Answer: the token's scopes, space-separated (empty for a password).</summary>
    public const string Scopes = "X-Latchkey-Scopes";

    /// <summary>Answer on 401/403/429: the one-line message of the body, for proxies that drop the body (nginx's <c>auth_request</c>).</summary>
    public const string Message = "X-Latchkey-Message";
}

using System.Globalization;
using System.Net;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// <c>/auth/verify</c>: judges a request a reverse proxy is about to pass on, top to bottom — the original request
/// from the proxy's headers, the rule it matches, the credential read as the authentication handler reads it, the
/// validator (on the end client's behalf: the use is recorded with the end client's address, never the proxy's),
/// then the rule's scopes. Answers 200 with identity headers for the upstream, or 401/403/429 with a one-line
/// message in the body and in <c>X-Latchkey-Message</c> (503 too, through the host's exception handler and
/// <see cref="ForwardAuthErrorWriter"/>, while the store cannot be reached).
/// </summary>
internal sealed partial class ForwardAuthEndpoint
{
    // Words of refusals: one line each, never naming another user's token or whether it exists.
    internal const string MissingCredentialMessage = "Authentication required: send a personal access token.";
    internal const string InvalidTokenMessage = "The credential is invalid, expired or revoked.";
    internal const string DeniedMessage = "Access to this resource is denied.";
    internal const string TooManyFailuresMessage = "Too many failed authentications from this address; try again later.";
    internal const string PasswordRefusedMessage = "HTTP Basic: Access denied. You must use a personal access token with 'read_repository' or 'write_repository' scope for Git over HTTP.";
    internal const string PasswordsNotAcceptedMessage = "Passwords are not accepted here: use a personal access token.";
    internal const string WrongPasswordMessage = "HTTP Basic: Access denied. The username or password is incorrect.";

    private readonly TokenValidator _validator;
    private readonly LatchkeyFailureLimiter _failures;
    private readonly SignInThrottle _passwordFailures;
    private readonly UserManager _users;
    private readonly ForwardAuthRuleSet _rules;
    private readonly LatchkeyAuthenticationOptions _credentials;
    private readonly bool _allowPasswords;
    private readonly string _originalForHeader;
    private readonly ILogger<ForwardAuthEndpoint> _logger;

    public ForwardAuthEndpoint(
        TokenValidator validator,
        LatchkeyFailureLimiter failures,
        SignInThrottle passwordFailures,
        UserManager users,
        ForwardAuthRuleSet rules,
        IOptions<LatchkeyForwardAuthOptions> options,
        IOptionsMonitor<LatchkeyAuthenticationOptions> credentials,
        LatchkeyScheme scheme,
        IOptions<ForwardedHeadersOptions> forwarded,
        ILogger<ForwardAuthEndpoint> logger)
    {
        _validator = validator;
        _failures = failures;
        _passwordFailures = passwordFailures;
        _users = users;
        _rules = rules;
        _allowPasswords = options.Value.Git.AllowPasswords;

        // Where a credential may sit is the scheme's setting (AllowQueryString and friends), for forwarded requests too.
        _credentials = credentials.Get(scheme.Name);
        _originalForHeader = forwarded.Value.OriginalForHeaderName;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers;

        // 1. The original request, as the proxy describes it (nginx's names, or Traefik's and Caddy's). Proxies pass
        //    the client's own headers along, so a client may add the convention its proxy does not set: two that
        //    disagree (or one sent twice) are refused rather than one of them believed.
        if (!TryOriginal(headers, ForwardAuthHeaders.OriginalMethod, ForwardAuthHeaders.ForwardedMethod, out var originalMethod)
            || !TryOriginal(headers, ForwardAuthHeaders.OriginalUri, ForwardAuthHeaders.ForwardedUri, out var originalUri))
        {
            await BadRequestAsync(context, "X-Original-Method/X-Original-URI and X-Forwarded-Method/X-Forwarded-Uri disagree: the proxy must set one pair and remove the other.");
            return;
        }

        // Envoy describes the original request by the check itself (its method, the path it appends): a header that
        // says otherwise came from the client.
        var routeUri = RouteUri(context);
        if (routeUri is not null
            && ((originalUri is not null && originalUri != routeUri) || (originalMethod is not null && originalMethod != request.Method)))
        {
            await BadRequestAsync(context, "X-Original-*/X-Forwarded-* headers disagree with the path and method of the check: Envoy appends the original path (remove those headers); nginx, Traefik and Caddy call the endpoint itself, without a trailing slash.");
            return;
        }

        var method = originalMethod ?? request.Method;
        if (!LatchkeyForwardAuthOptionsValidator.IsMethod(method))
        {
            await BadRequestAsync(context, "X-Original-Method (or X-Forwarded-Method) is not an HTTP method.");
            return;
        }

        var uri = originalUri ?? routeUri;
        if (uri is null)
        {
            await BadRequestAsync(context, "Send the original request's URI in X-Original-URI (nginx) or X-Forwarded-Uri (Traefik, Caddy).");
            return;
        }

        if (!ForwardAuthPath.TrySplit(uri, out var path, out var query))
        {
            await BadRequestAsync(context, "X-Original-URI (or X-Forwarded-Uri) is not a path: it must start with '/', be ASCII and percent-encode UTF-8.");
            return;
        }

        var forwardedHost = headers[ForwardAuthHeaders.ForwardedHost].ToString();
        var host = ForwardAuthPath.Host(forwardedHost.Length > 0 ? forwardedHost : headers.Host.ToString());

        // 2. The rule.
        var rule = _rules.Match(method, host, path.Span, query.Span);
        if (rule.Deny)
        {
            LogRefused(rule.Name, "deny");
            await RefuseAsync(context, StatusCodes.Status403Forbidden, DeniedMessage, null);
            return;
        }

        if (rule.Anonymous)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        // 3. The credential, read exactly where the authentication handler reads it.
        var credential = LatchkeyCredentialReader.ReadForwarded(request, _credentials, query.Span);
        if (credential is null)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, MissingCredentialMessage, rule.Challenge);
            return;
        }

        // 4. Who the client is: the address the forwarded-headers middleware took from a trusted proxy, else nobody
        //    we know — the use is then recorded without an address, never as the proxy's.
        var connection = context.Connection.RemoteIpAddress;
        var endClient = ForwardedForStartupFilter.Vouched(request, _originalForHeader) ? connection : null;
        var use = TokenUse.By(endClient?.ToString());

        // An address over its budget of failures gets only cache hits judged, as in the authentication handler.
        var judged = _failures.IsLimited(connection, out var retryAfter)
            ? _validator.ValidateCached(credential, use)
            : await _validator.ValidateAsync(credential, use, context.RequestAborted);
        if (judged is not { } result)
        {
            await TooManyAsync(context, retryAfter);
            return;
        }

        if (!result.Succeeded)
        {
            if (!TokenFormat.HasTokenShape(credential) && LatchkeyCredentialReader.TryReadBasic(request, out var username, out var password) && password.Length > 0 && password == credential)
            {
                await JudgePasswordAsync(context, rule, username, password, connection);
                return;
            }

            _failures.RecordFailure(connection);
            LogTokenRefused(rule.Name, result.Failure);
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, InvalidTokenMessage, rule.InvalidTokenChallenge);
            return;
        }

        // 5. The rule's scopes, through the scope catalog's implications (api grants read_repository, …).
        var token = result.Token!;
        foreach (var scope in rule.Scopes)
        {
            if (!token.Granted.Grants(scope))
            {
                LogRefused(rule.Name, "insufficient_scope");
                await RefuseAsync(context, StatusCodes.Status403Forbidden, $"The token does not have the '{scope}' scope this request needs.", rule.InsufficientScopeChallenges[scope]);
                return;
            }
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[ForwardAuthHeaders.User] = token.Username;
        response.Headers[ForwardAuthHeaders.UserId] = token.UserId.ToString(CultureInfo.InvariantCulture);
        response.Headers[ForwardAuthHeaders.TokenId] = token.TokenId.ToString(CultureInfo.InvariantCulture);
        response.Headers[ForwardAuthHeaders.Scopes] = string.Join(' ', token.Scopes);
    }

    // HTTP Basic whose password is not shaped like a token: an account password. Only the Git rules may accept one,
    // and only when configured to; it is checked like a sign-in (throttle, audit) but opens no session.
    // client: the end client behind a trusted proxy (the forwarded-headers middleware put it there), else the caller.
    private async Task JudgePasswordAsync(HttpContext context, ForwardAuthRequirement rule, string username, string password, IPAddress? client)
    {
        if (!rule.Git || !_allowPasswords)
        {
            // Said whoever the username names: looking the user up would tell anyone which accounts exist.
            _failures.RecordFailure(client);
            LogRefused(rule.Name, "password");
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, rule.Git ? PasswordRefusedMessage : PasswordsNotAcceptedMessage, rule.InvalidTokenChallenge);
            return;
        }

        // Before the password is looked at: verifying it while limited would tell a guesser when it was right.
        if (_passwordFailures.IsLimited(client, username, out var retryAfter))
        {
            await TooManyAsync(context, retryAfter);
            return;
        }

        var check = await _users.CheckPasswordAsync(username, password, client?.ToString(), context.RequestAborted);
        if (check.Outcome == SignInOutcome.Failed)
        {
            _passwordFailures.RecordFailure(client, username);
            LogRefused(rule.Name, "wrong password");
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, WrongPasswordMessage, rule.InvalidTokenChallenge);
            return;
        }

        if (check.User is not { } user)
        {
            LogRefused(rule.Name, "password of a user with two-factor authentication");
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, PasswordRefusedMessage, rule.InvalidTokenChallenge);
            return;
        }

        // An account password carries no scopes: it stands for the user, who may read and write their repositories.
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[ForwardAuthHeaders.User] = user.Username;
        response.Headers[ForwardAuthHeaders.UserId] = user.Id.ToString(CultureInfo.InvariantCulture);
        response.Headers[ForwardAuthHeaders.Scopes] = string.Empty;
    }

    // Envoy's ext_authz appends the original path to the endpoint's: /auth/verify/demo.git/info/refs?service=…, and
    // /auth/verify/ for the site's root. Taken from the raw request target, as the client sent it: the route value
    // is already percent-decoded, and decoding it again would judge /admin/%252e%252e/public as /public while the
    // upstream serves it under /admin/. The endpoint's own path without a trailing slash names no original request.
    private static string? RouteUri(HttpContext context)
    {
        var request = context.Request;
        var tail = request.RouteValues.TryGetValue(LatchkeyForwardAuthExtensions.OriginalPathRouteValue, out var rest) ? rest as string ?? string.Empty : string.Empty;
        var path = request.PathBase.Value + request.Path.Value;
        if (!path.EndsWith("/" + tail, StringComparison.Ordinal))
        {
            return null;
        }

        // The endpoint's own part ("/auth/verify/") is plain text in any target Envoy sends; anything else is refused.
        var prefix = path[..(path.Length - tail.Length)];
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return target is not null && target.StartsWith(prefix, StringComparison.Ordinal) ? target[(prefix.Length - 1)..] : null;
    }

    // The value of nginx's header or of the forwarded one (null when neither is sent); false when they disagree or
    // either is sent more than once.
    private static bool TryOriginal(IHeaderDictionary headers, string nginx, string forwarded, out string? value)
    {
        value = null;
        var fromNginx = headers[nginx];
        var fromForwarded = headers[forwarded];
        if (fromNginx.Count > 1 || fromForwarded.Count > 1)
        {
            return false;
        }

        var a = fromNginx.Count == 1 ? fromNginx[0]?.Trim() : null;
        var b = fromForwarded.Count == 1 ? fromForwarded[0]?.Trim() : null;
        a = string.IsNullOrEmpty(a) ? null : a;
        b = string.IsNullOrEmpty(b) ? null : b;
        if (a is not null && b is not null && !string.Equals(a, b, StringComparison.Ordinal))
        {
            return false;
        }

        value = a ?? b;
        return true;
    }

    private static Task TooManyAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.SetRetryAfter(retryAfter);
        return RefuseAsync(context, StatusCodes.Status429TooManyRequests, TooManyFailuresMessage, null);
    }

    private static Task BadRequestAsync(HttpContext context, string message)
        => RefuseAsync(context, StatusCodes.Status400BadRequest, message, null);

    private static Task RefuseAsync(HttpContext context, int status, string message, string? challenge)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (challenge is not null)
        {
            response.Headers[HeaderNames.WWWAuthenticate] = challenge;
        }

        return WriteMessageAsync(context, message);
    }

    /// <summary>The body of every answer but 200: the one-line message, in the body and in <c>X-Latchkey-Message</c>.</summary>
    internal static Task WriteMessageAsync(HttpContext context, string message)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers[ForwardAuthHeaders.Message] = message;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(message + "\n", context.RequestAborted);
    }

    // No credential, no URI, no query string: the rule's name and why, so an operator can tell which rule refused.
    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "Forward-auth refused a request under {Rule}: {Reason}")]
    private partial void LogRefused(string rule, string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "Forward-auth refused a credential under {Rule}: {Failure}")]
    private partial void LogTokenRefused(string rule, TokenFailure failure);
}

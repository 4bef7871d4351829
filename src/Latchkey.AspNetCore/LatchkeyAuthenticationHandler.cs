using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Latchkey.AspNetCore;

/// <summary>
/// Reads a token from the request and hands it to <see cref="TokenValidator"/>. It knows HTTP, nothing about
/// tokens; it returns <c>NoResult</c> when the request carries no credential it recognises. On a rotate endpoint
/// (<see cref="TokenReuseDetectionMetadata"/>) it hands a rotated-away credential to <see cref="TokenManager"/>, which judges it.
/// <see cref="LatchkeyAuthenticationEvents"/> may supply the credential and reshape the 401 challenge.
/// </summary>
internal sealed class LatchkeyAuthenticationHandler : AuthenticationHandler<LatchkeyAuthenticationOptions>
{
    private const string AlreadyRotatedItem = "latchkey:already_rotated";

    private readonly TokenValidator _validator;
    private readonly TokenManager _manager;
    private readonly LatchkeyFailureLimiter _failures;

    // Set when this request was refused for its address's failures rather than judged; the challenge answers 429.
    private TimeSpan? _retryAfter;

    public LatchkeyAuthenticationHandler(
        IOptionsMonitor<LatchkeyAuthenticationOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        TokenValidator validator,
        TokenManager manager,
        LatchkeyFailureLimiter failures)
        : base(options, logger, encoder)
    {
        _validator = validator;
        _manager = manager;
        _failures = failures;
    }

    private new LatchkeyAuthenticationEvents Events
    {
        get => (LatchkeyAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new LatchkeyAuthenticationEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var received = new LatchkeyMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received);
        if (received.Result is not null)
        {
            return received.Result;
        }

        var credential = received.Token ?? ReadCredential();
        if (credential is null)
        {
            return AuthenticateResult.NoResult();
        }

        // An address over its budget of failures gets no store lookups: only a token validated before (a cache hit)
        // is still judged, so its valid clients keep working while guesses stop costing anything.
        var client = Context.Connection.RemoteIpAddress;
        var clientIp = client?.ToString();
        var judged = _failures.IsLimited(client, out var retryAfter)
            ? _validator.ValidateCached(credential, TokenUse.By(clientIp))
            : await _validator.ValidateAsync(credential, TokenUse.By(clientIp), Context.RequestAborted);
        if (judged is not { } result)
        {
            _retryAfter = retryAfter;
            return AuthenticateResult.Fail("too_many_failures");
        }

        if (result.Failure == TokenFailure.Rotated
            && result.RefusedTokenId is { } rotatedId
            && Context.GetEndpoint()?.Metadata.GetMetadata<TokenReuseDetectionMetadata>() is not null)
        {
            var verdict = await _manager.JudgeRotatedCredentialAsync(rotatedId, clientIp, Context.RequestAborted);
            if (verdict.Code == TokenErrorCode.AlreadyRotated)
            {
                var properties = new AuthenticationProperties();
                properties.Items[AlreadyRotatedItem] = "true";
                return AuthenticateResult.Fail("already_rotated", properties);
            }
        }

        if (!result.Succeeded)
        {
            _failures.RecordFailure(client);

            // The reason stays in the server: clients only ever learn "invalid_token".
            return AuthenticateResult.Fail("invalid_token");
        }

        var principal = new System.Security.Claims.ClaimsPrincipal(new LatchkeyIdentity(result.Token!, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authenticated = await HandleAuthenticateOnceSafeAsync();
        if (_retryAfter is { } retryAfter)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.SetRetryAfter(retryAfter);
            await ErrorWriter.WriteAsync(Context, LatchkeyAuthError.TooManyFailures, null);
            return;
        }

        if (authenticated.Properties?.Items.ContainsKey(AlreadyRotatedItem) == true)
        {
            // A retry of a rotation that already happened: not an authentication problem, so no challenge.
            Response.StatusCode = StatusCodes.Status409Conflict;
            await ErrorWriter.WriteAsync(Context, LatchkeyAuthError.AlreadyRotated, null);
            return;
        }

        var error = authenticated.Failure is null ? LatchkeyAuthError.MissingCredential : LatchkeyAuthError.InvalidToken;
        var challenge = new LatchkeyChallengeContext(
            Context,
            Scheme,
            Options,
            properties,
            error == LatchkeyAuthError.InvalidToken ? "invalid_token" : null,
            error == LatchkeyAuthError.InvalidToken ? $"Bearer realm=\"{Options.Realm}\", error=\"invalid_token\"" : $"Bearer realm=\"{Options.Realm}\"");
        await Events.Challenge(challenge);
        if (challenge.Handled)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (!string.IsNullOrEmpty(challenge.WwwAuthenticate))
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge.WwwAuthenticate);
        }

        await ErrorWriter.WriteAsync(Context, error, null);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        string? scope = null;
        if (properties.Items.TryGetValue(LatchkeyAuthorizationResultHandler.MissingScopeItem, out scope) && scope is not null)
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, $"Bearer realm=\"{Options.Realm}\", error=\"insufficient_scope\", scope=\"{scope}\"");
        }

        await ErrorWriter.WriteAsync(Context, scope is null ? LatchkeyAuthError.Forbidden : LatchkeyAuthError.InsufficientScope, scope);
    }

    private ILatchkeyErrorWriter ErrorWriter
        => Context.GetEndpoint()?.Metadata.GetMetadata<ILatchkeyErrorWriter>() ?? ProblemDetailsErrorWriter.Instance;

    /// <summary>
    /// In order: <c>Authorization: Bearer</c>, <c>PRIVATE-TOKEN</c>, <c>?private_token=</c>, HTTP Basic (the
    /// password; nothing at all on a <see cref="ClientCredentialsEndpointMetadata"/> endpoint), a bare <c>Authorization: &lt;token&gt;</c>, and the cookie named in
    /// <see cref="LatchkeyAuthenticationOptions.CookieName"/>.
    /// </summary>
    private string? ReadCredential()
    {
        var authorization = Request.Headers.Authorization.ToString().Trim();
        if (TryStripScheme(authorization, "Bearer", out var bearer))
        {
            return bearer;
        }

        if (Options.AllowPrivateTokenHeader
            && Request.Headers.TryGetValue(LatchkeyDefaults.PrivateTokenHeaderName, out var privateToken)
            && privateToken.ToString().Trim() is { Length: > 0 } fromHeader)
        {
            return fromHeader;
        }

        if (Options.AllowQueryString
            && Request.Query.TryGetValue(LatchkeyDefaults.QueryParameterName, out var query)
            && query.ToString().Trim() is { Length: > 0 } fromQuery)
        {
            return fromQuery;
        }

        if (Options.AllowBasic && TryStripScheme(authorization, "Basic", out var basic))
        {
            // An OAuth token endpoint judges its client's Basic credentials itself: validated, and counted, once.
            return Context.GetEndpoint()?.Metadata.GetMetadata<ClientCredentialsEndpointMetadata>() is null ? DecodeBasicPassword(basic) : null;
        }

        // Unleash clients send the token itself as the header value; anything with a space is another scheme.
        if (Options.AllowBareAuthorization && authorization.Length > 0 && authorization.IndexOf(' ', StringComparison.Ordinal) < 0)
        {
            return authorization;
        }

        // Last: a browser sends its cookie with every request, so anything the client chose to send explicitly wins.
        if (Options.CookieName is { Length: > 0 } cookieName
            && Request.Cookies.TryGetValue(cookieName, out var cookie)
            && cookie.Trim() is { Length: > 0 } fromCookie)
        {
            return fromCookie;
        }

        return null;
    }

    private static bool TryStripScheme(string header, string scheme, out string value)
    {
        if (header.Length > scheme.Length + 1
            && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && header[scheme.Length] == ' ')
        {
            value = header[(scheme.Length + 1)..].Trim();
            return value.Length > 0;
        }

        value = string.Empty;
        return false;
    }

    private static string DecodeBasicPassword(string encoded)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            if (!Convert.TryFromBase64String(encoded, buffer, out var length))
            {
                return encoded; // not Base64: let the validator refuse it as malformed
            }

            var decoded = Encoding.UTF8.GetString(buffer, 0, length);
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? decoded : decoded[(colon + 1)..];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}

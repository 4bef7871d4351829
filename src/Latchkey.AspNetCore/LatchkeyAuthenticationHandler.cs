using System.Text.Encodings.Web;
using Latchkey.AspNetCore.ForwardAuth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Latchkey.AspNetCore;

/// <summary>
/// Reads a token from the request (<see cref="LatchkeyCredentialReader"/>) and hands it to <see cref="TokenValidator"/>.
/// It knows HTTP, nothing about tokens; it returns <c>NoResult</c> when the request carries no credential it
/// recognises, and first of all on the forward-auth endpoint, which judges a forwarded credential itself. On a
/// rotate endpoint (<see cref="TokenReuseDetectionMetadata"/>) it hands a rotated-away credential to <see cref="TokenManager"/>, which judges it.
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
        // Forward-auth judges the end client's credential itself, on the client's behalf; here it would count as
        // the proxy using the token (and the proxy's failures), and read the credential a second time.
        if (Context.GetEndpoint()?.Metadata.GetMetadata<ForwardAuthEndpointMetadata>() is not null)
        {
            return AuthenticateResult.NoResult();
        }

        var received = new LatchkeyMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received);
        if (received.Result is not null)
        {
            return received.Result;
        }

        var credential = received.Token ?? LatchkeyCredentialReader.Read(Request, Options);
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
}

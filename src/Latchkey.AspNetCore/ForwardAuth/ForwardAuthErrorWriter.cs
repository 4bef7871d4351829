using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// Forward-auth's refusals in its own form (a one-line message in the body and in <c>X-Latchkey-Message</c>) where
/// the endpoint does not write them itself: the 503 the host's exception handler answers while the store cannot be
/// reached. A proxy passes it on (Traefik, Caddy) or turns it into its own error (nginx); either way not a 401.
/// </summary>
internal sealed class ForwardAuthErrorWriter : ILatchkeyErrorWriter
{
    public static readonly ForwardAuthErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope)
        => ForwardAuthEndpoint.WriteMessageAsync(context, error switch
        {
            LatchkeyAuthError.StoreUnavailable => LatchkeyDefaults.StoreUnavailableMessage,
            LatchkeyAuthError.MissingCredential => ForwardAuthEndpoint.MissingCredentialMessage,
            LatchkeyAuthError.InvalidToken => ForwardAuthEndpoint.InvalidTokenMessage,
            LatchkeyAuthError.TooManyFailures => ForwardAuthEndpoint.TooManyFailuresMessage,
            _ => ForwardAuthEndpoint.DeniedMessage,
        });
}

using Latchkey.AspNetCore;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>Latchkey's 401, 403, 429 and 503 in SailPoint's shape. A 401 never says why the credential was refused.</summary>
internal sealed class SailPointErrorWriter : ILatchkeyErrorWriter
{
    public static readonly SailPointErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope)
    {
        var body = error switch
        {
            LatchkeyAuthError.MissingCredential or LatchkeyAuthError.InvalidToken
                => SailPointErrors.Body(SailPointErrors.Unauthorized, null) with { Error = SailPointErrors.UnauthorizedText },
            LatchkeyAuthError.InsufficientScope
                => SailPointErrors.Body(SailPointErrors.Forbidden, $"The token lacks the '{SailPointScopes.ToWire(scope ?? string.Empty)}' scope this request needs."),
            LatchkeyAuthError.TooManyFailures
                => SailPointErrors.Body(SailPointErrors.TooManyRequests, "Too many invalid tokens came from this address; wait before trying again."),
            LatchkeyAuthError.StoreUnavailable
                => SailPointErrors.Body(SailPointErrors.ServiceUnavailable, LatchkeyDefaults.StoreUnavailableMessage),
            _ => SailPointErrors.Body(SailPointErrors.Forbidden, null),
        };
        return context.Response.WriteAsJsonAsync(body, SailPointJson.Options, context.RequestAborted);
    }
}

using Latchkey.AspNetCore;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>Latchkey's 401, 403, 429 and 503 in the bodies a Laravel application renders for them.</summary>
internal sealed class SanctumErrorWriter : ILatchkeyErrorWriter
{
    public static readonly SanctumErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope)
    {
        var message = error switch
        {
            // Illuminate\Auth\AuthenticationException: the same answer for no token and a bad one.
            LatchkeyAuthError.MissingCredential or LatchkeyAuthError.InvalidToken => LaravelMessages.Unauthenticated,

            // Laravel\Sanctum\Exceptions\MissingAbilityException's default message.
            LatchkeyAuthError.InsufficientScope => LaravelMessages.InvalidAbility,

            // Illuminate\Http\Exceptions\ThrottleRequestsException's default message.
            LatchkeyAuthError.TooManyFailures => LaravelMessages.TooManyAttempts,

            // An HttpException for 503 without a message of its own renders the status text.
            LatchkeyAuthError.StoreUnavailable => LaravelMessages.ServiceUnavailable,

            // Illuminate\Auth\Access\AuthorizationException's default message.
            _ => LaravelMessages.Unauthorized,
        };
        return context.Response.WriteAsJsonAsync(new LaravelMessage(message), SanctumJson.Options, context.RequestAborted);
    }
}

using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// <c>POST /oauth/revoke</c> (RFC 7009): whoever presents a token value revokes it, as GitHub lets anyone who finds a
/// leaked token revoke it. No client authentication: holding the value is the right. Every well-formed request is
/// answered 200 with an empty body, revoked or not, so the endpoint never tells whether a token existed.
/// </summary>
internal static class RevocationEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, TokenManager manager, RevocationLimiter limiter)
    {
        var (token, invalid) = await OAuthForm.ReadTokenAsync(context.Request);
        if (token is null)
        {
            return invalid!;
        }

        // Counted before the lookup and whatever it finds: the limit keeps the store from being hammered without
        // saying anything about the tokens tried.
        var client = context.Connection.RemoteIpAddress;
        if (!limiter.TryAcquire(client, out var retryAfter))
        {
            context.Response.SetRetryAfter(retryAfter);
            return OAuthResults.Error(StatusCodes.Status429TooManyRequests, "temporarily_unavailable", "Too many revocation requests from this address; wait before trying again.");
        }

        // token_type_hint is only a hint (RFC 7009 §2.1): every kind of token is looked up by its value alike.
        await manager.RevokeByValueAsync(token, client?.ToString(), context.RequestAborted);
        return TypedResults.Ok();
    }
}

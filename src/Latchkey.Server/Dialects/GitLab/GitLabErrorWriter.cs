using Latchkey.AspNetCore;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>Latchkey's 401, 403, 429 and 503 answers under <c>/api/v4</c>, in the bodies GitLab sends.</summary>
internal sealed class GitLabErrorWriter : ILatchkeyErrorWriter
{
    public static readonly GitLabErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope) => error switch
    {
        // GitLab tells revoked and expired tokens apart; Latchkey never says why a token was refused, so every
        // refused credential gets the answer GitLab gives an unknown one.
        LatchkeyAuthError.MissingCredential or LatchkeyAuthError.InvalidToken => context.Response.WriteAsJsonAsync(GitLabResults.UnauthorizedBody),
        LatchkeyAuthError.InsufficientScope => context.Response.WriteAsJsonAsync(GitLabScopeError.For(scope)),
        LatchkeyAuthError.AlreadyRotated => context.Response.WriteAsJsonAsync(GitLabResults.AlreadyRotatedBody),
        LatchkeyAuthError.TooManyFailures => context.Response.WriteAsJsonAsync(GitLabResults.TooManyRequestsBody),
        LatchkeyAuthError.StoreUnavailable => context.Response.WriteAsJsonAsync(GitLabResults.ServiceUnavailableBody),
        _ => context.Response.WriteAsJsonAsync(GitLabResults.ForbiddenBody),
    };
}

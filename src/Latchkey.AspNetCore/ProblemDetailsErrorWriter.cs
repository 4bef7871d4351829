using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.AspNetCore;

/// <summary>The default: <c>application/problem+json</c> with a title and no hint of why a token was refused.</summary>
public sealed class ProblemDetailsErrorWriter : ILatchkeyErrorWriter
{
    public static readonly ProblemDetailsErrorWriter Instance = new();

    public async Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope)
    {
        var problem = new ProblemDetails
        {
            Status = context.Response.StatusCode,
            Title = error switch
            {
                LatchkeyAuthError.MissingCredential => "Authentication required",
                LatchkeyAuthError.InvalidToken => "Invalid token",
                LatchkeyAuthError.InsufficientScope => "Insufficient scope",
                LatchkeyAuthError.AlreadyRotated => "Token already rotated",
                LatchkeyAuthError.TooManyFailures => "Too many failed authentications",
                LatchkeyAuthError.StoreUnavailable => "Service unavailable",
                _ => "Forbidden",
            },
            Detail = error switch
            {
                LatchkeyAuthError.MissingCredential => "Send a personal access token, e.g. 'Authorization: Bearer <token>'.",
                LatchkeyAuthError.InvalidToken => "The token is invalid, expired or revoked.",
                LatchkeyAuthError.InsufficientScope => $"The token lacks the '{scope}' scope this request needs.",
                LatchkeyAuthError.AlreadyRotated => "The token was already rotated; its replacement went to the request that rotated it.",
                LatchkeyAuthError.TooManyFailures => "Too many invalid tokens came from this address; wait before trying again.",
                LatchkeyAuthError.StoreUnavailable => LatchkeyDefaults.StoreUnavailableMessage,
                _ => "You are not allowed to do this.",
            },
        };
        if (scope is not null)
        {
            problem.Extensions["scope"] = scope;
        }

        var service = context.RequestServices.GetService<IProblemDetailsService>();
        if (service is null || !await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await Results.Problem(problem).ExecuteAsync(context);
        }
    }
}

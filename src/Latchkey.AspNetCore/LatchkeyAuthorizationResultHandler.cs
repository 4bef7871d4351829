using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore;

/// <summary>
/// Wraps the host's <see cref="IAuthorizationMiddlewareResultHandler"/> (or the framework's) and takes over one
/// outcome only: a Latchkey credential missing a scope, so the 403 can name it (RFC 6750 <c>insufficient_scope</c>).
/// Everything else goes to the wrapped handler.
/// </summary>
internal sealed class LatchkeyAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    internal const string MissingScopeItem = "latchkey:missing_scope";

    private readonly IAuthorizationMiddlewareResultHandler _inner;

    public LatchkeyAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner) => _inner = inner;

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && context.User.Identity is LatchkeyIdentity { AuthenticationType: { } scheme }
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } missing)
        {
            var properties = new AuthenticationProperties();
            properties.Items[MissingScopeItem] = missing.Scope;
            return context.ForbidAsync(scheme, properties);
        }

        return _inner.HandleAsync(next, context, policy, authorizeResult);
    }
}

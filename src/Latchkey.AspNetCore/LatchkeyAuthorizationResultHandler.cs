using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore;

/// <summary>
/// Tells the handler which scope was missing, so the 403 can name it (RFC 6750 <c>insufficient_scope</c>).
/// Everything else goes to the framework's default behaviour.
/// </summary>
internal sealed class LatchkeyAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    internal const string MissingScopeItem = "latchkey:missing_scope";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && context.User.Identity is LatchkeyIdentity
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } missing)
        {
            var properties = new AuthenticationProperties();
            properties.Items[MissingScopeItem] = missing.Scope;
            return context.ForbidAsync(LatchkeyDefaults.AuthenticationScheme, properties);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

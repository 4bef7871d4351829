using Microsoft.AspNetCore.Authorization;

namespace Latchkey.AspNetCore;

/// <summary>The credential must grant <see cref="Scope"/> (directly or by implication, e.g. <c>api</c> grants <c>read_api</c>).</summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public ScopeRequirement(string scope) => Scope = scope;

    public string Scope { get; }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.Identity is LatchkeyIdentity { Token: var token } && token.Granted.Grants(requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    public override string ToString() => $"Scope '{Scope}'";
}

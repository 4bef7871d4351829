using Microsoft.AspNetCore.Authorization;

namespace Latchkey.AspNetCore;

/// <summary>The credential's owner must be an administrator.</summary>
public sealed class AdministratorRequirement : AuthorizationHandler<AdministratorRequirement>, IAuthorizationRequirement
{
    public static readonly AdministratorRequirement Instance = new();

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdministratorRequirement requirement)
    {
        if (context.User.Identity is LatchkeyIdentity { Token.IsAdmin: true })
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

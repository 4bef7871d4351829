using Microsoft.AspNetCore.Authorization;

namespace Latchkey.AspNetCore;

/// <summary>Authorization policies over the Latchkey scheme.</summary>
public static class LatchkeyPolicies
{
    public static readonly AuthorizationPolicy Authenticated = Builder().Build();

    public static readonly AuthorizationPolicy Administrator = Builder().AddRequirements(AdministratorRequirement.Instance).Build();

    /// <summary>A policy that needs <paramref name="scope"/> (or a scope implying it).</summary>
    public static AuthorizationPolicy Scope(string scope) => Builder().AddRequirements(new ScopeRequirement(scope)).Build();

    /// <summary>A policy that needs an administrator holding <paramref name="scope"/>.</summary>
    public static AuthorizationPolicy AdministratorWithScope(string scope)
        => Builder().AddRequirements(new ScopeRequirement(scope), AdministratorRequirement.Instance).Build();

    private static AuthorizationPolicyBuilder Builder()
        => new AuthorizationPolicyBuilder(LatchkeyDefaults.AuthenticationScheme).RequireAuthenticatedUser();
}

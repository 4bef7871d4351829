using Microsoft.AspNetCore.Authorization;

namespace Latchkey.AspNetCore;

/// <summary>
/// Authorization policies over a Latchkey scheme (by default <see cref="LatchkeyDefaults.AuthenticationScheme"/>).
/// <c>RequireScope</c>, <c>RequireLatchkey</c> and <c>RequireAdministrator</c> build them over the scheme named in <c>AddLatchkey</c>.
/// </summary>
public static class LatchkeyPolicies
{
    /// <summary>Any authenticated credential of <paramref name="scheme"/>.</summary>
    public static AuthorizationPolicy Authenticated(string scheme = LatchkeyDefaults.AuthenticationScheme) => Builder(scheme).Build();

    /// <summary>An authenticated administrator.</summary>
    public static AuthorizationPolicy Administrator(string scheme = LatchkeyDefaults.AuthenticationScheme)
        => Builder(scheme).AddRequirements(AdministratorRequirement.Instance).Build();

    /// <summary>A policy that needs <paramref name="scope"/> (or a scope implying it).</summary>
    public static AuthorizationPolicy Scope(string scope, string scheme = LatchkeyDefaults.AuthenticationScheme)
        => Builder(scheme).AddRequirements(new ScopeRequirement(scope)).Build();

    /// <summary>A policy that needs an administrator holding <paramref name="scope"/>.</summary>
    public static AuthorizationPolicy AdministratorWithScope(string scope, string scheme = LatchkeyDefaults.AuthenticationScheme)
        => Builder(scheme).AddRequirements(new ScopeRequirement(scope), AdministratorRequirement.Instance).Build();

    private static AuthorizationPolicyBuilder Builder(string scheme)
        => new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser();
}

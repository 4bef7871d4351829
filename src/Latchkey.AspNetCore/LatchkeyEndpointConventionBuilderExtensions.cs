using Microsoft.AspNetCore.Builder;

namespace Latchkey.AspNetCore;

/// <summary>Declares on endpoints and route groups what Latchkey must check and how its errors look.</summary>
public static class LatchkeyEndpointConventionBuilderExtensions
{
    /// <summary>Requires a Latchkey credential granting <paramref name="scope"/>; a 403 names the scope.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(LatchkeyPolicies.Scope(scope));

    /// <summary>Requires any valid Latchkey credential.</summary>
    public static TBuilder RequireLatchkey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(LatchkeyPolicies.Authenticated);

    /// <summary>Requires a credential whose owner is an administrator.</summary>
    public static TBuilder RequireAdministrator<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(LatchkeyPolicies.Administrator);

    /// <summary>Writes Latchkey's 401 and 403 bodies in this API's shape.</summary>
    public static TBuilder WithLatchkeyErrors<TBuilder>(this TBuilder builder, ILatchkeyErrorWriter writer)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(writer);
}

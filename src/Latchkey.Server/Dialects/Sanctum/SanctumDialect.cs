namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>The Sanctum dialect: a translator between its wire format and the engine's operations.</summary>
internal static class SanctumDialect
{
    /// <summary>Registers what the dialect needs (its named token policy, its services).</summary>
    public static IServiceCollection AddSanctumDialect(this IServiceCollection services) => services;

    /// <summary>Maps the dialect's endpoints.</summary>
    public static IEndpointRouteBuilder MapSanctumDialect(this IEndpointRouteBuilder routes) => routes;
}

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>The Unleash dialect: a translator between its wire format and the engine's operations.</summary>
internal static class UnleashDialect
{
    /// <summary>Registers what the dialect needs (its named token policy, its services).</summary>
    public static IServiceCollection AddUnleashDialect(this IServiceCollection services) => services;

    /// <summary>Maps the dialect's endpoints.</summary>
    public static IEndpointRouteBuilder MapUnleashDialect(this IEndpointRouteBuilder routes) => routes;
}

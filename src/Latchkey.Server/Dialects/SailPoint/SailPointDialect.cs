namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>The SailPoint dialect: a translator between its wire format and the engine's operations.</summary>
internal static class SailPointDialect
{
    /// <summary>Registers what the dialect needs (its named token policy, its services).</summary>
    public static IServiceCollection AddSailPointDialect(this IServiceCollection services) => services;

    /// <summary>Maps the dialect's endpoints.</summary>
    public static IEndpointRouteBuilder MapSailPointDialect(this IEndpointRouteBuilder routes) => routes;
}

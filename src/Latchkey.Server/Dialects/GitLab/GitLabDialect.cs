namespace Latchkey.Server.Dialects.GitLab;

/// <summary>The GitLab dialect: a translator between its wire format and the engine's operations.</summary>
internal static class GitLabDialect
{
    /// <summary>Registers what the dialect needs (its named token policy, its services).</summary>
    public static IServiceCollection AddGitLabDialect(this IServiceCollection services) => services;

    /// <summary>Maps the dialect's endpoints.</summary>
    public static IEndpointRouteBuilder MapGitLabDialect(this IEndpointRouteBuilder routes) => routes;
}

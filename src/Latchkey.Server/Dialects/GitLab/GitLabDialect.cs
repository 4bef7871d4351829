using Latchkey.AspNetCore;
using Latchkey.Server.Hosting.OpenApi;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// The GitLab dialect: GitLab's personal access token and user endpoints under <c>/api/v4</c>, so GitLab clients
/// (<c>@gitbeaker/rest</c>, <c>curl</c> lines from GitLab's docs) work unmodified. It only translates; every rule
/// is one of the two engine policies registered here.
/// </summary>
internal static class GitLabDialect
{
    /// <summary>Registers the dialect's token policies: <c>gitlab</c> (administrators) and <c>gitlab-self</c> (self-service).</summary>
    public static IServiceCollection AddGitLabDialect(this IServiceCollection services)
    {
        services.AddLatchkeyTokenPolicy(GitLabPolicies.Admin, options =>
        {
            options.Prefix = GitLabPolicies.Prefix;
            options.AllowedScopes = [.. GitLabScopes.All];

            // GitLab 16+: a token created without expires_at gets the maximum allowable lifetime.
            options.DefaultLifetime = options.MaximumLifetime ?? options.DefaultLifetime;
            options.RotationLifetime = RotationLifetime(options);
        });
        services.AddLatchkeyTokenPolicy(GitLabPolicies.Self, options =>
        {
            options.Prefix = GitLabPolicies.Prefix;
            options.AllowedScopes = [.. GitLabScopes.SelfService];
            options.DefaultExpiresAtEndOfDay = true;
            options.RotationLifetime = RotationLifetime(options);
        });
        return services;
    }

    /// <summary>Maps <c>/api/v4</c>: GitLab's error bodies for every 401 and 403, and GitLab's 404 for paths it does not have.</summary>
    public static IEndpointRouteBuilder MapGitLabDialect(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v4")
            .WithTags("GitLab")
            .WithLatchkeyErrors(GitLabErrorWriter.Instance)
            .AddEndpointFilter(RefuseSudoAsync)
            .AnswersGitLabErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);

        api.MapGitLabTokens();
        api.MapGitLabUsers();
        api.MapFallback("{**path}", GitLabResults.UnknownRoute).WithName("GitLabUnknownRoute").ExcludeFromDescription();
        return routes;
    }

    // A week, unless the operator's maximum lifetime is shorter.
    private static TimeSpan RotationLifetime(Latchkey.Policy.TokenPolicyOptions options)
        => options.MaximumLifetime is { } max && max < GitLabPolicies.RotationLifetime ? max : GitLabPolicies.RotationLifetime;

    // GitLab lets administrators act as another user with Sudo; Latchkey has no impersonation, and silently acting
    // as the caller instead would create tokens for the wrong person.
    private static ValueTask<object?> RefuseSudoAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        return request.Headers.ContainsKey("Sudo") || request.Query.ContainsKey("sudo")
            ? ValueTask.FromResult<object?>(GitLabResults.Forbidden("Sudo is not supported by this server"))
            : next(context);
    }
}

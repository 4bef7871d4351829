using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>
/// The real GitLab client, <c>@gitbeaker/rest</c> 43 from npm, pointed at a live server: the node tests in
/// <c>test/clients/gitlab</c> call every <c>PersonalAccessTokens</c> method, the <c>Users</c> methods clients use,
/// pagination and error mapping.
/// </summary>
[LongRunning]
public sealed class GitLabClientTests : IClassFixture<GitLabLiveServerFactory>
{
    private readonly GitLabLiveServerFactory _factory;

    public GitLabClientTests(GitLabLiveServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Gitbeaker_passes_its_tests_against_the_gitlab_dialect()
    {
        var adminToken = await GitLabArrange.AdminTokenAsync(_factory);
        var (userId, userToken) = await GitLabArrange.UserAsync(_factory);
        var environment = new Dictionary<string, string>
        {
            ["LATCHKEY_GITLAB_HOST"] = _factory.BaseAddress,
            ["LATCHKEY_GITLAB_ADMIN_TOKEN"] = adminToken,
            ["LATCHKEY_GITLAB_USER_TOKEN"] = userToken,
            ["LATCHKEY_GITLAB_USER_ID"] = userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var outcome = await ExternalProcess.RunAsync(
            "node",
            ["--test", "--test-reporter=spec", Path.Combine("test", "clients", "gitlab") + Path.DirectorySeparatorChar],
            RepositoryPaths.Root,
            environment,
            TimeSpan.FromMinutes(3));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("rotate() replaces a token", outcome.StandardOutput, StringComparison.Ordinal);
    }
}

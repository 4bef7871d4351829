using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>Seed 000's <c>curl</c> line, run verbatim by <c>curl</c> against a live server (host and token substituted).</summary>
public sealed class GitLabSeedTests : IClassFixture<LiveServerFactory>
{
    private const string SeedHost = "https://gitlab.example.com";
    private const string TokenPlaceholder = "<your_access_token>";
    private readonly LiveServerFactory _factory;

    public GitLabSeedTests(LiveServerFactory factory) => _factory = factory;

    [Fact]
    public async Task The_seed_curl_line_creates_a_k8s_proxy_token_shaped_like_the_documented_example()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var line = SeedCurlLine();
        Assert.Contains(SeedHost, line, StringComparison.Ordinal);
        Assert.Contains(TokenPlaceholder, line, StringComparison.Ordinal);

        var outcome = await RunShellAsync(line.Replace(SeedHost, _factory.BaseAddress, StringComparison.Ordinal).Replace(TokenPlaceholder, token, StringComparison.Ordinal));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var body = JsonNode.Parse(outcome.StandardOutput)!.AsObject();
        GitLabArrange.AssertFields(body, "id", "name", "revoked", "created_at", "scopes", "user_id", "active", "expires_at", "token");
        Assert.Equal(System.Text.Json.JsonValueKind.Number, body["id"]!.GetValueKind());
        Assert.Equal("mytoken", body["name"]!.GetValue<string>());
        Assert.False(body["revoked"]!.GetValue<bool>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", body["created_at"]!.GetValue<string>());
        Assert.Equal(["k8s_proxy"], body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(userId, body["user_id"]!.GetValue<long>());
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Contains(body["expires_at"]!.GetValue<string>(), new[] { GitLabArrange.DaysFromToday(1), GitLabArrange.DaysFromToday(2) });
        Assert.Equal(GitLabArrange.DaysFromToday(1), DateTime.Parse(body["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime().Date.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        // The new token is limited to k8s_proxy: it can see itself, and nothing else.
        var issued = body["token"]!.GetValue<string>();
        var self = await RunShellAsync($"curl --silent --header \"PRIVATE-TOKEN: {issued}\" \"{_factory.BaseAddress}/api/v4/personal_access_tokens/self\"");
        Assert.Equal(body["id"]!.GetValue<long>(), JsonNode.Parse(self.StandardOutput)!["id"]!.GetValue<long>());
        var user = await RunShellAsync($"curl --silent --header \"PRIVATE-TOKEN: {issued}\" \"{_factory.BaseAddress}/api/v4/user\"");
        Assert.Equal("insufficient_scope", JsonNode.Parse(user.StandardOutput)!["error"]!.GetValue<string>());
    }

    private static string SeedCurlLine()
    {
        var seed = Directory.GetFiles(RepositoryPaths.Seeds, "000_*.txt").Single();
        return File.ReadAllLines(seed).Single(l => l.TrimStart().StartsWith("curl ", StringComparison.Ordinal)).Trim();
    }

    // Through a shell, so the seed's own quoting is what curl receives.
    private static Task<ExternalProcess.Outcome> RunShellAsync(string commandLine)
        => ExternalProcess.RunAsync("/bin/sh", ["-c", commandLine], timeout: TimeSpan.FromSeconds(30));
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using OtpNet;

namespace Latchkey.Server.Tests.Nginx;

/// <summary>
/// The real <c>git</c> cloning, fetching and pushing through real nginx (<c>deploy/nginx/git.conf</c>), fcgiwrap and
/// <c>git http-backend</c>, with nginx asking Latchkey's <c>/auth/verify</c> about every request: personal access
/// tokens with <c>read_repository</c> / <c>write_repository</c>, revocation, the Basic challenge git needs before it
/// sends credentials, <c>GIT_ASKPASS</c>, and account passwords (allowed here by
/// <c>Latchkey:ForwardAuth:Git:AllowPasswords</c>) for users without two-factor authentication only.
/// </summary>
[Collection(BehindNginx.Name)]
public sealed class GitOverHttpTests
{
    private readonly NginxServer _git;

    public GitOverHttpTests(NginxServer git) => _git = git;

    private LiveServerFactory Latchkey => _git.Latchkey;

    private string Url(string repository, string? username = null, string? password = null)
        => username is null
            ? $"{_git.GitAddress}/{repository}.git"
            : $"http://{Uri.EscapeDataString(username)}:{Uri.EscapeDataString(password!)}@127.0.0.1:{_git.GitPort}/{repository}.git";

    private string NewFolder(string name) => Path.Combine(_git.Scratch, $"{name}-{Guid.NewGuid():N}");

    private Task<ExternalProcess.Outcome> GitAsync(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
        => GitCommand.RunAsync(_git.Scratch, workingDirectory, arguments, environment);

    private async Task<ExternalProcess.Outcome> CloneAsync(string url, string folder, IReadOnlyDictionary<string, string>? environment = null)
        => await GitAsync(_git.Scratch, ["clone", url, folder], environment);

    private async Task<(TestUser User, JsonObject Token)> TokenAsync(params string[] scopes)
    {
        var user = await Latchkey.CreateUserAsync();
        var token = await Latchkey.CreateClient(user).CreateTokenAsync(new { name = "git", scopes });
        return (user, token);
    }

    private static string Secret(JsonObject token) => token["token"]!.GetValue<string>();

    /// <summary>A new commit in <paramref name="clone"/>, returned as its id.</summary>
    private async Task<string> CommitAsync(string clone, string file)
    {
        await File.WriteAllTextAsync(Path.Combine(clone, file), "changed through nginx\n");
        await GitCommand.RunCheckedAsync(_git.Scratch, clone, "add", file);
        await GitCommand.RunCheckedAsync(_git.Scratch, clone, "commit", "--quiet", "-m", "Change " + file);
        return (await GitCommand.RunCheckedAsync(_git.Scratch, clone, "rev-parse", "HEAD")).StandardOutput.Trim();
    }

    private async Task<string> BranchInAsync(string bare, string branch)
        => (await GitCommand.RunCheckedAsync(_git.Scratch, _git.Scratch, "--git-dir", bare, "rev-parse", branch)).StandardOutput.Trim();

    [Fact]
    public async Task A_read_repository_token_in_the_url_clones_and_the_use_is_recorded_from_the_git_client()
    {
        await _git.CreateRepositoryAsync("clone-demo");
        var (user, token) = await TokenAsync("read_repository");
        var folder = NewFolder("clone");

        var clone = await CloneAsync(Url("clone-demo", user.Username, Secret(token)), folder);

        Assert.True(clone.ExitCode == 0, clone + _git.Diagnostics());
        Assert.Equal("# clone-demo\n", await File.ReadAllTextAsync(Path.Combine(folder, "README.md")));
        using var read = await Latchkey.CreateClient(user).GetAsync($"/api/tokens/{token["id"]}");
        var ips = (await read.JsonAsync())!["last_used_ips"]!.AsArray().Select(ip => ip!.GetValue<string>());
        Assert.Equal(["127.0.0.1"], ips);
    }

    [Fact]
    public async Task A_push_with_a_read_repository_token_is_refused_naming_the_missing_scope()
    {
        var bare = await _git.CreateRepositoryAsync("read-only");
        var before = await BranchInAsync(bare, "main");
        var (user, token) = await TokenAsync("read_repository");
        var folder = NewFolder("read-only");
        Assert.Equal(0, (await CloneAsync(Url("read-only", user.Username, Secret(token)), folder)).ExitCode);
        await CommitAsync(folder, "refused.txt");

        var push = await GitAsync(folder, ["push", "origin", "main"]);

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("remote: ", push.StandardError, StringComparison.Ordinal);
        Assert.Contains("write_repository", push.StandardError, StringComparison.Ordinal);
        Assert.Contains("403", push.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, await BranchInAsync(bare, "main"));
    }

    [Fact]
    public async Task A_push_with_a_write_repository_token_lands_in_the_bare_repository()
    {
        var bare = await _git.CreateRepositoryAsync("writable");
        var (user, token) = await TokenAsync("write_repository");
        var folder = NewFolder("writable");
        Assert.Equal(0, (await CloneAsync(Url("writable", user.Username, Secret(token)), folder)).ExitCode);
        var commit = await CommitAsync(folder, "pushed.txt");

        var push = await GitAsync(folder, ["push", "origin", "main"]);

        Assert.True(push.ExitCode == 0, push + _git.Diagnostics());
        Assert.Equal(commit, await BranchInAsync(bare, "main"));
    }

    [Fact]
    public async Task A_revoked_token_fails_the_next_fetch()
    {
        await _git.CreateRepositoryAsync("revoked");
        var (user, token) = await TokenAsync("read_repository");
        var folder = NewFolder("revoked");
        Assert.Equal(0, (await CloneAsync(Url("revoked", user.Username, Secret(token)), folder)).ExitCode);
        Assert.Equal(0, (await GitAsync(folder, ["fetch", "origin"])).ExitCode);

        using (var revoke = await Latchkey.CreateClient(user).DeleteAsync($"/api/tokens/{token["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        var fetch = await GitAsync(folder, ["fetch", "origin"]);

        Assert.NotEqual(0, fetch.ExitCode);
        Assert.Contains("remote: ", fetch.StandardError, StringComparison.Ordinal);
        Assert.Contains("Authentication failed", fetch.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_credentials_git_is_challenged_for_them_with_Basic()
    {
        await _git.CreateRepositoryAsync("anonymous");

        var clone = await CloneAsync(Url("anonymous"), NewFolder("anonymous"));

        // Git asks for a username only after a 401 with a Basic challenge; with prompts off it stops there.
        Assert.NotEqual(0, clone.ExitCode);
        Assert.Contains("terminal prompts disabled", clone.StandardError, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{Url("anonymous")}/info/refs?service=git-upload-pack");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["Basic realm=\"Latchkey\""], response.Headers.WwwAuthenticate.Select(challenge => challenge.ToString()));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var message = Assert.Single(response.Headers.GetValues("X-Latchkey-Message"));
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_from_GIT_ASKPASS_clones()
    {
        await _git.CreateRepositoryAsync("askpass");
        var (user, token) = await TokenAsync("read_repository");
        var script = Path.Combine(RepositoryPaths.Root, "test", "Latchkey.Server.Tests", "Nginx", "askpass.sh");
        var folder = NewFolder("askpass");

        var clone = await CloneAsync(Url("askpass"), folder, new Dictionary<string, string>
        {
            ["GIT_ASKPASS"] = script,
            ["ASKPASS_USER"] = user.Username,
            ["ASKPASS_TOKEN"] = Secret(token),
        });

        Assert.True(clone.ExitCode == 0, clone + _git.Diagnostics());
        Assert.True(File.Exists(Path.Combine(folder, "README.md")));
    }

    [Fact]
    public async Task An_account_password_clones_for_a_user_without_two_factor_where_passwords_are_allowed()
    {
        await _git.CreateRepositoryAsync("password");
        var user = await Latchkey.CreateUserAsync();
        var folder = NewFolder("password");

        var clone = await CloneAsync(Url("password", user.Username, user.Password), folder);

        Assert.True(clone.ExitCode == 0, clone + _git.Diagnostics());
        Assert.True(File.Exists(Path.Combine(folder, "README.md")));
    }

    [Fact]
    public async Task An_account_password_of_a_user_with_two_factor_is_refused_with_a_message_to_use_a_token()
    {
        await _git.CreateRepositoryAsync("two-factor");
        var user = await Latchkey.CreateUserAsync();
        await EnrolInTwoFactorAsync(user);

        var clone = await CloneAsync(Url("two-factor", user.Username, user.Password), NewFolder("two-factor"));

        Assert.NotEqual(0, clone.ExitCode);
        Assert.Contains("remote: ", clone.StandardError, StringComparison.Ordinal);
        Assert.Contains("personal access token", clone.StandardError, StringComparison.Ordinal);
    }

    /// <summary>Turns on two-factor authentication the way the user would, with a code from the real clock.</summary>
    private async Task EnrolInTwoFactorAsync(TestUser user)
    {
        var client = Latchkey.CreateClient(user);
        using var started = await client.PostAsync("/api/user/two_factor", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var secret = (await started.JsonAsync())!["secret"]!.GetValue<string>();
        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow);
        using var confirmed = await client.PostAsJsonAsync("/api/user/two_factor/confirm", new { otp = code });
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>Seed 004's own curl line, run verbatim by the real curl against the server on Kestrel.</summary>
public sealed partial class TalkoverSeedTests : IClassFixture<LiveServerFactory>, IDisposable
{
    private const string SeedHost = "https://app.talkover.ai";
    private const string SessionPlaceholder = "your_user_session_token";

    private readonly LiveServerFactory _factory;
    private readonly string _curlHome = Directory.CreateTempSubdirectory("latchkey-curl-").FullName;

    public TalkoverSeedTests(LiveServerFactory factory)
    {
        _factory = factory;

        // The command must stay as the seed prints it, so the status code is asked for in curl's own config file
        // instead of on the command line.
        File.WriteAllText(Path.Combine(_curlHome, ".curlrc"), "silent\nshow-error\nwrite-out = \"\\n%{http_code}\"\n");
    }

    [Fact]
    public async Task The_seeds_curl_line_creates_a_token_that_then_works_as_a_bearer()
    {
        var command = SeedCommand();
        Assert.Contains(SeedHost, command);
        Assert.Contains(SessionPlaceholder, command);
        var session = await _factory.CreateClient().SignInAsync();

        var (status, body) = await CurlAsync(command.Replace(SeedHost, _factory.BaseAddress).Replace(SessionPlaceholder, session));

        Assert.Equal(201, status);
        var data = body["data"]!.AsObject();
        Assert.Equal(["id", "name", "abilities", "token", "created_at"], data.Select(p => p.Key));
        Assert.Equal("CI Pipeline", data["name"]!.GetValue<string>());
        Assert.Equal(["*"], data["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));
        var id = data["id"]!.GetValue<string>();
        var token = data["token"]!.GetValue<string>();
        Assert.StartsWith(id + "|", token);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", data["created_at"]!.GetValue<string>());

        // "Use the token as Authorization: Bearer <token> in subsequent requests."
        var (listStatus, list) = await CurlAsync($"curl \"{_factory.BaseAddress}/api/v1/user/api-tokens\" -H \"Authorization: Bearer {token}\"");
        Assert.Equal(200, listStatus);
        var listed = Assert.Single(list["data"]!.AsArray(), t => t!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("CI Pipeline", listed["name"]!.GetValue<string>());
        Assert.Null(listed["token"]);

        // The same token is one engine token: the native API sees it.
        using var native = await _factory.CreateClient().WithBearer(token).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        Assert.Equal(long.Parse(id), (await native.JsonAsync())!["id"]!.GetValue<long>());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_curlHome, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(int Status, JsonNode Body)> CurlAsync(string command)
    {
        var outcome = await ExternalProcess.RunAsync("bash", ["-c", command], environment: new Dictionary<string, string> { ["CURL_HOME"] = _curlHome }, timeout: TimeSpan.FromSeconds(30));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var output = outcome.StandardOutput.TrimEnd();
        var newline = output.LastIndexOf('\n');
        return (int.Parse(output[(newline + 1)..]), JsonNode.Parse(output[..newline])!);
    }

    // The first ```bash block of seed 004, exactly as written.
    private static string SeedCommand()
    {
        var seed = File.ReadAllText(Directory.GetFiles(RepositoryPaths.Seeds, "004_*.txt").Single());
        return BashBlock().Match(seed) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("Seed 004 has no bash block.");
    }

    [GeneratedRegex(@"```bash[^\n]*\n(.*?)\n\s*```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}

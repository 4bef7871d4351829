using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>
/// Seed 001's own <c>curl</c> line, run verbatim by the real <c>curl</c> against a live server: only
/// <c>&lt;your-unleash-url&gt;</c> and <c>&lt;Authorization&gt;</c> are filled in.
/// </summary>
public sealed class UnleashSeedTests : IClassFixture<LiveServerFactory>
{
    private const string SeedExpiry = "2023-04-19T08:15:14.000Z";

    private readonly LiveServerFactory _factory;

    public UnleashSeedTests(LiveServerFactory factory) => _factory = factory;

    [Fact]
    public async Task The_seed_curl_line_is_refused_for_its_past_date_as_Unleash_refuses_it_and_works_with_a_future_one()
    {
        var command = SeedCurlCommand();
        Assert.Contains(SeedExpiry, command);
        var secret = await UnleashPatOfAdminAsync();

        // As written, the example's date has passed: Unleash itself answers 400.
        var refused = await RunAsync(command.Replace("<Authorization>", secret, StringComparison.Ordinal));
        Assert.Equal(400, refused.Status);
        Assert.Equal("application/json; charset=utf-8", refused.Header("Content-Type"));
        Assert.Equal(UnleashRecorded.PastExpiresAt, refused.Body);

        // The same line with a date still to come creates the PAT.
        var future = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture);
        var created = await RunAsync(command.Replace("<Authorization>", secret, StringComparison.Ordinal).Replace(SeedExpiry, future, StringComparison.Ordinal));
        Assert.Equal(201, created.Status);
        Assert.Equal("application/json; charset=utf-8", created.Header("Content-Type"));
        Assert.Equal("no-store", created.Header("Cache-Control"));
        var pat = JsonNode.Parse(created.Body)!;
        UnleashAssert.PatShape(pat, withSecret: true);
        var id = pat["id"]!.GetValue<long>();
        Assert.True(id >= 1);
        Assert.Equal($"/api/admin/user/tokens/{id}", created.Header("Location"));
        Assert.Equal("user:xyzrandomstring", pat["description"]!.GetValue<string>());
        Assert.Equal(future, pat["expiresAt"]!.GetValue<string>());
        UnleashAssert.IsoInstant(pat["createdAt"]);
        Assert.Null(pat["seenAt"]);
        Assert.Equal(1, pat["userId"]!.GetValue<long>());
        var newSecret = pat["secret"]!.GetValue<string>();
        Assert.StartsWith("user:", newSecret);

        // The new secret is usable as Unleash clients send it.
        var withNew = new HttpClient { BaseAddress = new Uri(_factory.BaseAddress) }.WithRawAuthorization(newSecret);
        var listed = await withNew.ListPatsAsync();
        Assert.Contains(listed, p => p!["id"]!.GetValue<long>() == id && p["secret"] is null);
    }

    [Fact]
    public async Task A_body_over_the_server_s_limit_answers_413_as_Express_s_body_parser_does()
    {
        using var client = new HttpClient { BaseAddress = new Uri(_factory.BaseAddress) };
        client.WithBearer(await client.SignInAsync());
        var huge = $$"""{"description":"{{new string('x', 2 * 1024 * 1024)}}","expiresAt":"{{UnleashClient.FutureExpiry}}"}""";

        // Expect: 100-continue (as curl sends for large bodies): the server refuses before the body is sent, so the
        // client never writes into a socket the server has already closed (which made this test flaky).
        using var request = new HttpRequestMessage(HttpMethod.Post, UnleashClient.TokensPath)
        {
            Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"message":"request entity too large"}""", await response.Content.ReadAsStringAsync());
    }

    /// <summary>The seed's curl command, from <c>curl</c> to the closing quote of its body, with the server's URL.</summary>
    private string SeedCurlCommand()
    {
        var seed = Directory.GetFiles(RepositoryPaths.Seeds, "001_*.txt").Single();
        var lines = File.ReadAllLines(seed);
        var start = Array.FindIndex(lines, l => l.StartsWith("curl ", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, start, l => l == "}'");
        Assert.True(start >= 0 && end > start, "the seed's curl line was not found");
        return string.Join('\n', lines[start..(end + 1)]).Replace("<your-unleash-url>", _factory.BaseAddress, StringComparison.Ordinal);
    }

    private async Task<string> UnleashPatOfAdminAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri(_factory.BaseAddress) };
        client.WithBearer(await client.SignInAsync());
        var pat = await client.CreatePatAsync($"seed-runner-{Guid.NewGuid():N}");
        return pat["secret"]!.GetValue<string>();
    }

    /// <summary>
    /// Runs the command through bash exactly as written. To see the status and headers without touching the line,
    /// curl reads <c>--include</c> and <c>--silent</c> from a <c>.curlrc</c> in a private <c>CURL_HOME</c>.
    /// </summary>
    private static async Task<CurlResponse> RunAsync(string command)
    {
        var home = Directory.CreateTempSubdirectory("unleash-curl-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(home, ".curlrc"), "include\nsilent\nshow-error\n");
            var outcome = await ExternalProcess.RunAsync("bash", ["-c", command], environment: new Dictionary<string, string> { ["CURL_HOME"] = home, ["HOME"] = home });
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            return CurlResponse.Parse(outcome.StandardOutput);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private sealed record CurlResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body)
    {
        public string? Header(string name) => Headers.LastOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

        public static CurlResponse Parse(string output)
        {
            var split = output.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(split > 0, $"no HTTP head in curl's output: {output}");
            var head = output[..split].Split("\r\n");
            var status = int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var headers = head.Skip(1).Select(line => (line[..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToArray();
            return new CurlResponse(status, headers, output[(split + 4)..]);
        }
    }
}

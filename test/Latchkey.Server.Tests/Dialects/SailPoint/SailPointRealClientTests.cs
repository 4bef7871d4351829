using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>
/// Real clients against a live server: the npm SDK <c>sailpoint-api-client</c> (its node tests in
/// test/clients/sailpoint) and SailPoint's documented curl sign-in.
/// </summary>
[LongRunning]
public sealed class SailPointRealClientTests : IClassFixture<LiveServerFactory>
{
    private readonly LiveServerFactory _server;

    public SailPointRealClientTests(LiveServerFactory server) => _server = server;

    [Fact]
    public async Task The_SailPoint_SDK_signs_in_with_a_PAT_and_manages_tokens_through_v3_beta_and_v2024()
    {
        var pat = await CreateAdminPatAsync("sdk-tests");

        var outcome = await ExternalProcess.RunAsync(
            "node",
            ["--test", "--test-force-exit", "test/clients/sailpoint/"],
            environment: new Dictionary<string, string>
            {
                ["SAILPOINT_BASE_URL"] = _server.BaseAddress,
                ["SAILPOINT_CLIENT_ID"] = pat["id"]!.GetValue<string>(),
                ["SAILPOINT_CLIENT_SECRET"] = pat["secret"]!.GetValue<string>(),
                ["NO_PROXY"] = "127.0.0.1,localhost",
            },
            timeout: TimeSpan.FromMinutes(3));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Matches(@"(?m)^# pass [1-9]\d*$", outcome.StandardOutput);
        Assert.Matches(@"(?m)^# fail 0$", outcome.StandardOutput);
    }

    [Fact]
    public async Task SailPoints_documented_curl_sign_in_works_with_form_data_and_with_the_query_string()
    {
        var pat = await CreateAdminPatAsync("curl-sign-in");
        var tenant = _server.BaseAddress;
        var clientId = pat["id"]!.GetValue<string>();
        var clientSecret = pat["secret"]!.GetValue<string>();

        // From SailPoint's authentication guide, with only the host and the <…> placeholders substituted.
        var form = await CurlAsync($"""
            curl --location '{tenant}/oauth/token' \
            --header 'scope: sp:scope:all' \
            --form 'grant_type="client_credentials"' \
            --form 'client_id="{clientId}"' \
            --form 'client_secret="{clientSecret}"'
            """);
        var query = await CurlAsync($"curl -X POST '{tenant}/oauth/token?grant_type=client_credentials&client_id={clientId}&client_secret={clientSecret}'");

        foreach (var answer in new[] { form, query })
        {
            Assert.Equal("bearer", answer["token_type"]!.GetValue<string>());
            Assert.Equal("sp:scopes:all", answer["scope"]!.GetValue<string>());
            Assert.InRange(answer["expires_in"]!.GetValue<long>(), 43190, 43200);

            var accessToken = answer["access_token"]!.GetValue<string>();
            var listed = await CurlAsync($"curl -X GET '{tenant}/v3/personal-access-tokens?owner-id=me' -H 'Authorization: Bearer {accessToken}' -H 'cache-control: no-cache'");
            Assert.Contains(listed.AsArray(), t => t!["id"]!.GetValue<string>() == clientId);
        }

        Assert.DoesNotContain(clientSecret, _server.Logs.AllText);
    }

    private async Task<JsonObject> CreateAdminPatAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_server.BaseAddress) };
        http.WithBearer(await http.SignInAsync());
        using var response = await http.PostAsJsonAsync(SailPointApi.Tokens, new { name, userAwareTokenNeverExpires = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())!.AsObject();
    }

    private static async Task<JsonNode> CurlAsync(string commandLine)
    {
        var outcome = await ExternalProcess.RunAsync("bash", ["-c", commandLine.Replace(" -X", " -sS -X", StringComparison.Ordinal).Replace("curl --location", "curl -sS --location", StringComparison.Ordinal)]);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return JsonNode.Parse(outcome.StandardOutput) ?? throw new InvalidOperationException(outcome.ToString());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Nginx;

/// <summary>
/// A service behind nginx running <c>deploy/nginx/forward-auth.conf</c>: what reaches the service (Latchkey's identity
/// headers, never the client's own), and what the client sees when Latchkey refuses (the one-line message, the
/// challenge, the scope a 403 names), all through real nginx.
/// </summary>
[Collection(BehindNginx.Name)]
public sealed class NginxForwardAuthTests
{
    private readonly NginxServer _nginx;

    public NginxForwardAuthTests(NginxServer nginx) => _nginx = nginx;

    private async Task<(TestUser User, JsonObject Token)> TokenAsync(params string[] scopes)
    {
        var user = await _nginx.Latchkey.CreateUserAsync();
        var token = await _nginx.Latchkey.CreateClient(user).CreateTokenAsync(new { name = "service", scopes });
        return (user, token);
    }

    private static HttpClient Client(string? token = null)
    {
        var client = new HttpClient();
        return token is null ? client : client.WithBearer(token);
    }

    [Fact]
    public async Task A_valid_token_reaches_the_service_with_its_identity_and_a_forged_identity_is_replaced()
    {
        var (user, token) = await TokenAsync("read_api");
        using var client = Client(token["token"]!.GetValue<string>());
        client.DefaultRequestHeaders.Add("X-Latchkey-User", "admin");
        client.DefaultRequestHeaders.Add("X-Latchkey-Scopes", "api");

        using var response = await client.GetAsync($"{_nginx.ServiceAddress}/reports?year=2026");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $"user={user.Username} user_id={user.Id} token_id={token["id"]} scopes=read_api uri=/reports?year=2026\n",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_credential_the_service_is_not_reached_and_the_401_carries_Latchkeys_message()
    {
        using var client = Client();
        client.DefaultRequestHeaders.Add("X-Latchkey-User", "admin");

        using var response = await client.GetAsync($"{_nginx.ServiceAddress}/reports");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["Bearer realm=\"Latchkey\""], response.Headers.WwwAuthenticate.Select(challenge => challenge.ToString()));
        var message = Assert.Single(response.Headers.GetValues("X-Latchkey-Message"));
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_without_the_scope_a_rule_needs_gets_a_403_naming_it()
    {
        var (_, token) = await TokenAsync("read_api");
        using var client = Client(token["token"]!.GetValue<string>());

        using var response = await client.PostAsync($"{_nginx.ServiceAddress}{NginxServer.AdminPrefix}users", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"api\"", challenge, StringComparison.Ordinal);
        var message = Assert.Single(response.Headers.GetValues("X-Latchkey-Message"));
        Assert.Contains("'api'", message, StringComparison.Ordinal);
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_private_token_in_the_original_query_is_read_there()
    {
        var (user, token) = await TokenAsync("read_api");
        using var client = Client();

        using var response = await client.GetAsync($"{_nginx.ServiceAddress}/reports?private_token={token["token"]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"user={user.Username} ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

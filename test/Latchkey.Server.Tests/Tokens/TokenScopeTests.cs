using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Tokens;

/// <summary>Which scope each endpoint needs, what implies what, and the ceiling a token puts on what it creates.</summary>
[Collection(NativeTokensServer.Name)]
public sealed class TokenScopeTests
{
    private readonly LatchkeyServerFactory _factory;

    public TokenScopeTests(LatchkeyServerFactory factory) => _factory = factory;

    private async Task<HttpClient> TokenClientAsync(params string[] scopes)
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = string.Join('+', scopes), scopes });
        return _factory.CreateClient(created["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_satisfies_the_endpoints_that_need_read_api()
    {
        var api = await TokenClientAsync("api");
        var some = await (await _factory.CreateAdminClientAsync()).CreateTokenAsync(new { name = "to read", scopes = new[] { "read_api" } });

        foreach (var url in new[] { "/api/tokens", $"/api/tokens/{some["id"]}", "/api/users", "/api/audit", "/api/user" })
        {
            using var response = await api.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_k8s_proxy_token_gets_insufficient_scope_everywhere_but_self()
    {
        var k8s = await TokenClientAsync("k8s_proxy");
        var cases = new (HttpMethod Method, string Url, string Scope)[]
        {
            (HttpMethod.Get, "/api/tokens", "read_api"),
            (HttpMethod.Get, "/api/tokens/1", "read_api"),
            (HttpMethod.Post, "/api/tokens", "api"),
            (HttpMethod.Patch, "/api/tokens/1", "api"),
            (HttpMethod.Post, "/api/tokens/1/rotate", "api"),
            (HttpMethod.Delete, "/api/tokens/1", "api"),
            (HttpMethod.Post, "/api/tokens/revoke", "api"),
            (HttpMethod.Post, "/api/tokens/self/rotate", "self_rotate"),
            (HttpMethod.Get, "/api/user", "read_user"),
        };

        foreach (var (method, url, scope) in cases)
        {
            using var request = new HttpRequestMessage(method, url) { Content = method == HttpMethod.Get || method == HttpMethod.Delete ? null : JsonContent.Create(new { name = "x", scopes = new[] { "api" } }) };
            using var response = await k8s.SendAsync(request);
            var body = await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Equal($"Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"{scope}\"", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal(scope, body["scope"]!.GetValue<string>());
        }

        using var self = await k8s.GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
    }

    [Fact]
    public async Task A_read_api_token_cannot_create_any_token()
    {
        var reader = await TokenClientAsync("read_api");
        using var response = await reader.PostAsJsonAsync("/api/tokens", new { name = "escalate", scopes = new[] { "api" } });
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("scope=\"api\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_creates_tokens_within_its_own_scopes_only()
    {
        var api = await TokenClientAsync("api");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/tokens", new { name = "implied", scopes = new[] { "read_api", "write_repository", "self_rotate" } })).StatusCode);

        foreach (var broader in new[] { new[] { "*" }, new[] { "sudo" }, new[] { "api", "admin_mode" } })
        {
            using var response = await api.PostAsJsonAsync("/api/tokens", new { name = "broader", scopes = broader });
            await ProblemAssert.ValidationAsync(response, "scopes");
        }

        using var list = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/tokens?search=broader");
        Assert.Empty((await list.JsonAsync())!.AsArray());
    }

    [Fact]
    public async Task A_session_may_create_full_access_and_administrator_scopes_for_an_administrator()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var full = await admin.CreateTokenAsync(new { name = "everything", scopes = new[] { "*" } });
        var client = _factory.CreateClient(full["token"]!.GetValue<string>());

        // Full access is everything the owner may do, administration included.
        using var users = await client.GetAsync("/api/users");
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        using var sudo = await client.PostAsJsonAsync("/api/tokens", new { name = "sudo from full", scopes = new[] { "sudo" } });
        Assert.Equal(HttpStatusCode.Created, sudo.StatusCode);
    }

    [Fact]
    public async Task A_full_access_token_of_a_user_is_not_an_administrator()
    {
        var user = await _factory.CreateUserAsync();
        var full = await _factory.CreateClient(user).CreateTokenAsync(new { name = "everything", scopes = new[] { "*" } });
        using var users = await _factory.CreateClient(full["token"]!.GetValue<string>()).GetAsync("/api/users");
        await ProblemAssert.ProblemAsync(users, HttpStatusCode.Forbidden);
        Assert.DoesNotContain("insufficient_scope", users.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Scopes_are_narrowed_by_a_token_only_within_its_ceiling()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var target = await admin.CreateTokenAsync(new { name = "wide", scopes = new[] { "*" } });
        var api = await TokenClientAsync("api");

        // An api token may narrow a token it covers…
        var covered = await admin.CreateTokenAsync(new { name = "covered", scopes = new[] { "api" } });
        using (var narrow = await api.PatchAsJsonAsync($"/api/tokens/{covered["id"]}", new { scopes = new[] { "read_api" } }))
        {
            Assert.Equal(HttpStatusCode.OK, narrow.StatusCode);
        }

        // …but not a full-access token, not even to narrow it (the ceiling covers every change).
        using (var wider = await api.PatchAsJsonAsync($"/api/tokens/{target["id"]}", new { scopes = new[] { "api" } }))
        {
            await ProblemAssert.ProblemAsync(wider, HttpStatusCode.Forbidden);
        }

        // …but an api token cannot hand out sudo, even by narrowing.
        var sudo = await admin.CreateTokenAsync(new { name = "sudo+api", scopes = new[] { "sudo", "api" } });
        using var refused = await api.PatchAsJsonAsync($"/api/tokens/{sudo["id"]}", new { scopes = new[] { "sudo" } });
        await ProblemAssert.ValidationAsync(refused, "scopes");
    }

    [Theory]
    [InlineData("""{"expires_at":"in 300 days"}""")]
    [InlineData("""{"expires_at":null,"never_expires_acknowledged":true}""")]
    [InlineData("""{"name":"taken over"}""")]
    [InlineData("""{"description":"changed"}""")]
    [InlineData("""{"scopes":["read_api"]}""")]
    public async Task An_api_token_cannot_change_a_full_access_token_in_any_way_but_may_revoke_it(string patch)
    {
        var admin = await _factory.CreateAdminClientAsync();
        var full = await admin.CreateTokenAsync(new { name = $"full {Guid.NewGuid():N}", scopes = new[] { "*" }, expires_at = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        var api = await TokenClientAsync("api");

        patch = patch.Replace("in 300 days", DateTime.UtcNow.AddDays(300).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using (var refused = await api.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{full["id"]}", patch))
        {
            await ProblemAssert.ProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        using (var unchanged = await admin.GetAsync($"/api/tokens/{full["id"]}"))
        {
            var body = (await unchanged.JsonAsync())!;
            Assert.Equal((full["name"]!.GetValue<string>(), full["expires_at"]!.GetValue<string>()), (body["name"]!.GetValue<string>(), body["expires_at"]!.GetValue<string>()));
            Assert.Equal(["*"], body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
            Assert.Null(body["description"]);
        }

        using var revoke = await api.DeleteAsync($"/api/tokens/{full["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
    }
}

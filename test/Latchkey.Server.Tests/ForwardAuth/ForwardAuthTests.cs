using System.Net;
using System.Net.Http.Json;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.ForwardAuth;

/// <summary>
/// <c>/auth/verify</c> as nginx's <c>auth_request</c>, Traefik's <c>forwardAuth</c> and Caddy's <c>forward_auth</c>
/// call it: the original request in headers, the credential as the client sent it, and the answer the proxy acts on.
/// </summary>
public sealed class ForwardAuthTests : IClassFixture<ForwardAuthServer>
{
    private const string EndClient = "198.51.100.77";

    private readonly ForwardAuthServer _server;

    public ForwardAuthTests(ForwardAuthServer server) => _server = server;

    private static string Basic(string username, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    /// <summary>What nginx sends: X-Original-Method and X-Original-URI, the client's own headers, from the proxy's address.</summary>
    private async Task<HttpResponseMessage> NginxAsync(
        string method,
        string uri,
        string? authorization = null,
        string connection = ForwardAuthServer.TrustedProxy,
        string? forwardedFor = EndClient,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var client = _server.CreateClient().WithClientAddress(connection);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify");
        request.Headers.TryAddWithoutValidation("X-Original-Method", method);
        request.Headers.TryAddWithoutValidation("X-Original-URI", uri);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    private async Task<(TestUser User, string Token, long Id)> TokenAsync(params string[] scopes)
    {
        var user = await _server.CreateUserAsync();
        var token = await _server.CreateClient(user).CreateTokenAsync(new { name = "forward-auth " + string.Join('+', scopes), scopes });
        return (user, token["token"]!.GetValue<string>(), token["id"]!.GetValue<long>());
    }

    private static string Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"no {name} header");

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string? wwwAuthenticate)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(body.TrimEnd('\n'), Header(response, "X-Latchkey-Message"));
        Assert.DoesNotContain('\n', body.TrimEnd('\n'));
        if (wwwAuthenticate is null)
        {
            Assert.False(response.Headers.Contains("WWW-Authenticate"));
        }
        else
        {
            Assert.Equal(wwwAuthenticate, Header(response, "WWW-Authenticate"));
        }

        Assert.False(response.Headers.Contains("X-Latchkey-User"));
    }

    [Fact]
    public async Task A_valid_token_behind_nginx_answers_200_with_the_identity_headers_for_the_upstream()
    {
        var (user, token, id) = await TokenAsync("read_api", "read_user");
        using var response = await NginxAsync("GET", "/dashboard?tab=1", $"Bearer {token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user.Username, Header(response, "X-Latchkey-User"));
        Assert.Equal(user.Id.ToString(), Header(response, "X-Latchkey-User-Id"));
        Assert.Equal(id.ToString(), Header(response, "X-Latchkey-Token-Id"));
        Assert.Equal("read_api read_user", Header(response, "X-Latchkey-Scopes"));
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Traefik_and_Caddy_headers_describe_the_original_request_too()
    {
        var (_, token, _) = await TokenAsync("read_user");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Method", "POST");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Uri", "/api/v4/projects");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "app.example.com");
        request.Headers.TryAddWithoutValidation("PRIVATE-TOKEN", token);
        using var response = await _server.CreateClient().SendAsync(request);

        // POST /api/v4/… is rule 3 (api), so this read_user token is refused for what Traefik described.
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"api\"");
        Assert.Contains("'api'", Header(response, "X-Latchkey-Message"));
    }

    [Theory]
    [InlineData("GET", "/demo.git/info/refs?service=git-upload-pack")]
    [InlineData("POST", "/group/demo.git/git-upload-pack")]
    [InlineData("GET", "/demo.git/info/refs?service=git-receive-pack")]
    [InlineData("POST", "/demo.git/git-receive-pack")]
    [InlineData("GET", "/demo.git/info/refs")]
    public async Task Git_paths_without_a_credential_answer_401_with_a_Basic_challenge_so_git_asks_for_one(string method, string uri)
    {
        using var response = await NginxAsync(method, uri);
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "Basic realm=\"Latchkey\"");
    }

    [Theory]
    [InlineData("GET", "/demo.git/info/refs?service=git-upload-pack")]
    [InlineData("POST", "/demo.git/git-upload-pack")]
    [InlineData("GET", "/demo.git/info/refs")]
    public async Task A_read_repository_token_as_the_Basic_password_fetches(string method, string uri)
    {
        var (user, token, _) = await TokenAsync("read_repository");
        using var response = await NginxAsync(method, uri, Basic(user.Username, token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user.Username, Header(response, "X-Latchkey-User"));
    }

    [Theory]
    [InlineData("GET", "/demo.git/info/refs?service=git-receive-pack")]
    [InlineData("GET", "/demo.git/info/refs?x=1&service=git-upload-pack&service=git-receive-pack")]
    [InlineData("POST", "/demo.git/git-receive-pack")]
    [InlineData("POST", "/demo.%67it/git-receive-pack")]
    [InlineData("POST", "/other/../demo.git//git-receive-pack")]
    public async Task A_read_repository_token_cannot_push_and_the_403_names_write_repository(string method, string uri)
    {
        var (user, token, _) = await TokenAsync("read_repository");
        using var response = await NginxAsync(method, uri, Basic(user.Username, token));
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"write_repository\"");
        Assert.Contains("write_repository", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("write_repository")]
    [InlineData("api")]
    public async Task A_write_repository_or_api_token_pushes(string scope)
    {
        var (user, token, _) = await TokenAsync(scope);
        using var refs = await NginxAsync("GET", "/demo.git/info/refs?service=git-receive-pack", Basic(user.Username, token));
        using var push = await NginxAsync("POST", "/demo.git/git-receive-pack", Basic(user.Username, token));
        using var fetch = await NginxAsync("POST", "/demo.git/git-upload-pack", Basic(user.Username, token));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { refs.StatusCode, push.StatusCode, fetch.StatusCode });
    }

    [Fact]
    public async Task A_revoked_token_is_refused_on_the_very_next_call()
    {
        var (user, token, id) = await TokenAsync("read_repository");
        using (var before = await NginxAsync("POST", "/demo.git/git-upload-pack", Basic(user.Username, token)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var revoke = await _server.CreateClient(user).DeleteAsync($"/api/tokens/{id}"))
        {
            Assert.True(revoke.IsSuccessStatusCode, $"revoke answered {(int)revoke.StatusCode}");
        }

        using var after = await NginxAsync("POST", "/demo.git/git-upload-pack", Basic(user.Username, token));
        await AssertRefusedAsync(after, HttpStatusCode.Unauthorized, "Basic realm=\"Latchkey\"");
    }

    [Fact]
    public async Task An_unknown_token_is_refused_with_invalid_token_and_no_hint_why()
    {
        var (_, token, _) = await TokenAsync("read_api");
        using var response = await NginxAsync("GET", "/dashboard", $"Bearer {token[..^4]}AAAA");
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "Bearer realm=\"Latchkey\", error=\"invalid_token\"");
        Assert.Equal("The credential is invalid, expired or revoked.", Header(response, "X-Latchkey-Message"));
    }

    [Fact]
    public async Task Private_token_is_read_from_the_original_uri_not_from_the_verify_request()
    {
        var (user, token, _) = await TokenAsync("read_api");
        using (var original = await NginxAsync("GET", $"/api/v4/projects?per_page=5&private_token={token}"))
        {
            Assert.Equal(HttpStatusCode.OK, original.StatusCode);
            Assert.Equal(user.Username, Header(original, "X-Latchkey-User"));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/verify?private_token={token}");
        request.Headers.TryAddWithoutValidation("X-Original-URI", "/api/v4/projects");
        using var own = await _server.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, own.StatusCode);
        Assert.DoesNotContain(token, string.Join("\n", _server.Logs.Lines));
    }

    [Fact]
    public async Task An_anonymous_rule_lets_anyone_through_without_identity_headers()
    {
        var (_, token, _) = await TokenAsync("read_api");
        using var anonymous = await NginxAsync("GET", "/public/logo.png");
        using var withToken = await NginxAsync("GET", "/public/logo.png", $"Bearer {token}");

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.DoesNotContain(withToken.Headers, h => h.Key.StartsWith("X-Latchkey-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_deny_rule_refuses_even_a_full_api_token_and_an_encoded_path_does_not_slip_past_it()
    {
        var (_, token, _) = await TokenAsync("api");
        using var plain = await NginxAsync("GET", "/admin/settings", $"Bearer {token}");
        using var encoded = await NginxAsync("GET", "/public/../%61dmin/settings", $"Bearer {token}");
        await AssertRefusedAsync(plain, HttpStatusCode.Forbidden, null);
        await AssertRefusedAsync(encoded, HttpStatusCode.Forbidden, null);
    }

    [Fact]
    public async Task A_host_rule_applies_to_its_subdomains_only()
    {
        var (_, token, _) = await TokenAsync("read_user");
        var host = new Dictionary<string, string> { ["X-Forwarded-Host"] = "q3.Reports.example.com:8443" };
        using var onReports = await NginxAsync("GET", "/summary", $"Bearer {token}", headers: host);
        using var elsewhere = await NginxAsync("GET", "/summary", $"Bearer {token}", headers: new Dictionary<string, string> { ["X-Forwarded-Host"] = "reports.example.com" });

        await AssertRefusedAsync(onReports, HttpStatusCode.Forbidden, "Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"read_api\"");
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_method_rule_applies_to_its_methods_only()
    {
        var (_, token, _) = await TokenAsync("read_api");
        using var read = await NginxAsync("GET", "/api/v4/projects", $"Bearer {token}");
        using var write = await NginxAsync("POST", "/api/v4/projects", $"Bearer {token}");
        using var delete = await NginxAsync("DELETE", "/api/v4/projects/1", $"Bearer {token}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await AssertRefusedAsync(write, HttpStatusCode.Forbidden, "Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"api\"");
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
    }

    [Fact]
    public async Task A_Basic_rule_challenges_with_Basic_and_the_default_with_Bearer()
    {
        using var basic = await NginxAsync("GET", "/basic/report");
        using var bearer = await NginxAsync("GET", "/anything");
        await AssertRefusedAsync(basic, HttpStatusCode.Unauthorized, "Basic realm=\"Latchkey\"");
        await AssertRefusedAsync(bearer, HttpStatusCode.Unauthorized, "Bearer realm=\"Latchkey\"");
    }

    [Fact]
    public async Task An_account_password_passes_the_git_rules_for_a_user_without_two_factor_authentication()
    {
        var user = await _server.CreateUserAsync();
        using var push = await NginxAsync("POST", "/demo.git/git-receive-pack", Basic(user.Username, user.Password));

        Assert.Equal(HttpStatusCode.OK, push.StatusCode);
        Assert.Equal(user.Username, Header(push, "X-Latchkey-User"));
        Assert.Equal(user.Id.ToString(), Header(push, "X-Latchkey-User-Id"));
        Assert.False(push.Headers.Contains("X-Latchkey-Token-Id"));
        Assert.Equal(string.Empty, Header(push, "X-Latchkey-Scopes"));
    }

    [Fact]
    public async Task An_account_password_of_a_user_with_two_factor_authentication_is_told_to_use_a_personal_access_token()
    {
        var user = await _server.CreateUserAsync();
        await _server.EnrolAsync(user);
        using var fetch = await NginxAsync("POST", "/demo.git/git-upload-pack", Basic(user.Username, user.Password));

        await AssertRefusedAsync(fetch, HttpStatusCode.Unauthorized, "Basic realm=\"Latchkey\"");
        Assert.Equal(
            "HTTP Basic: Access denied. You must use a personal access token with 'read_repository' or 'write_repository' scope for Git over HTTP.",
            Header(fetch, "X-Latchkey-Message"));
    }

    [Fact]
    public async Task An_account_password_is_refused_outside_the_git_rules()
    {
        var user = await _server.CreateUserAsync();
        using var response = await NginxAsync("GET", "/basic/report", Basic(user.Username, user.Password));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "Basic realm=\"Latchkey\"");
        Assert.Contains("personal access token", Header(response, "X-Latchkey-Message"));
    }

    [Fact]
    public async Task A_wrong_password_on_a_git_path_is_refused_and_audited_like_a_failed_sign_in()
    {
        var user = await _server.CreateUserAsync();
        using var response = await NginxAsync("POST", "/demo.git/git-upload-pack", Basic(user.Username, "not-the-password-at-all"), forwardedFor: "198.51.100.88");
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "Basic realm=\"Latchkey\"");

        using var audit = await (await _server.CreateAdminClientAsync()).GetAsync("/api/audit?per_page=100");
        var failures = (await audit.JsonAsync())!.AsArray().Where(e => e!["action"]!.GetValue<string>() == "sign_in.failed");
        Assert.Contains(failures, e => e!["ip_address"]?.GetValue<string>() == "198.51.100.88");
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_use_is_recorded_with_the_end_clients_address()
    {
        var (user, token, id) = await TokenAsync("read_api");
        using var response = await NginxAsync("GET", "/dashboard", $"Bearer {token}", forwardedFor: "198.51.100.41");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["198.51.100.41"], await LastUsedIpsAsync(user, id));
    }

    [Fact]
    public async Task Through_a_caller_that_is_not_a_trusted_proxy_the_use_is_recorded_without_its_address()
    {
        var (user, token, id) = await TokenAsync("read_api");
        using var response = await NginxAsync("GET", "/dashboard", $"Bearer {token}", connection: "203.0.113.50", forwardedFor: "198.51.100.42");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var read = await _server.CreateClient(user).GetAsync($"/api/tokens/{id}");
        var json = (await read.JsonAsync())!;
        Assert.NotNull(json["last_used_at"]);
        Assert.Empty(json["last_used_ips"]!.AsArray());
    }

    [Fact]
    public async Task A_client_sent_X_Original_For_does_not_make_an_untrusted_caller_trusted()
    {
        var (user, token, id) = await TokenAsync("read_api");
        var forged = new Dictionary<string, string> { ["X-Original-For"] = ForwardAuthServer.TrustedProxy + ":1234" };
        using var response = await NginxAsync("GET", "/dashboard", $"Bearer {token}", connection: "203.0.113.51", forwardedFor: null, headers: forged);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await LastUsedIpsAsync(user, id));
    }

    [Fact]
    public async Task A_cache_hit_does_no_store_lookup()
    {
        var (_, token, _) = await TokenAsync("read_api");
        var beforeFirst = _server.TokenLookups;
        using (var first = await NginxAsync("GET", "/dashboard", $"Bearer {token}"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Tests of one class run one at a time, so every lookup counted here is this token's.
        var afterFirst = _server.TokenLookups;
        Assert.True(afterFirst > beforeFirst, "the first check did not read the store (is the store wrapped?)");
        for (var i = 0; i < 5; i++)
        {
            using var again = await NginxAsync("GET", "/dashboard", $"Bearer {token}");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(afterFirst, _server.TokenLookups);
    }

    [Fact]
    public async Task An_end_client_over_its_failure_budget_gets_429_with_Retry_After()
    {
        const string guesser = "198.51.100.99";
        HttpStatusCode last = default;
        for (var i = 0; i < 10; i++)
        {
            using var guess = await NginxAsync("GET", "/dashboard", $"Bearer lk_guess{i}", forwardedFor: guesser);
            last = guess.StatusCode;
            if (last == (HttpStatusCode)429)
            {
                Assert.True(guess.Headers.RetryAfter is not null, "no Retry-After");
                Assert.Contains("Too many", Header(guess, "X-Latchkey-Message"));
                break;
            }
        }

        Assert.Equal((HttpStatusCode)429, last);

        // Another client behind the same proxy is not limited by the first one's guesses.
        var (_, token, _) = await TokenAsync("read_api");
        using var other = await NginxAsync("GET", "/dashboard", $"Bearer {token}", forwardedFor: "198.51.100.98");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    public static TheoryData<string, string> BadOriginals => new()
    {
        { "GET", "not-a-path" },
        { "GET", "http://evil.example/x" },
        { "GET", "//evil.example/x" },
        { "GET", "/a/../../etc/passwd" },
        { "GET", "/%ZZ" },
        { "GET", "/%C3%28" },
        { "GET", "/nul%00byte" },
        { "GET", "/caf\u00e9" },
        { "G E T", "/x" },
        { "<script>", "/x" },
        { "GET", "" },
    };

    [Theory]
    [MemberData(nameof(BadOriginals))]
    public async Task A_bad_original_request_answers_400_with_a_clear_message(string method, string uri)
    {
        using var response = await NginxAsync(method, uri, "Bearer lk_whatever");
        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, null);
        Assert.Contains("X-", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_huge_original_uri_and_an_unknown_method_are_answered_with_a_4xx_not_a_500()
    {
        using var huge = await NginxAsync("GET", "/" + new string('a', 60_000) + ".git/info/refs");
        using var unknownMethod = await NginxAsync("BREW", "/pot");
        Assert.Equal(HttpStatusCode.Unauthorized, huge.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownMethod.StatusCode);
    }

    private async Task<string[]> LastUsedIpsAsync(TestUser user, long id)
    {
        using var read = await _server.CreateClient(user).GetAsync($"/api/tokens/{id}");
        return (await read.JsonAsync())!["last_used_ips"]!.AsArray().Select(ip => ip!.GetValue<string>()).ToArray();
    }
}

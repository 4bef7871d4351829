using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Tokens;

namespace Latchkey.Server.Tests.Admin;

/// <summary>
/// <c>/api/administration</c> and the audit filters: every user's tokens with their owner, whose a leaked value is before it is
/// revoked, the audit log filtered and named, and the policy in effect — what the admin pages show, through the API.
/// </summary>
[Collection(NativeTokensServer.Name)]
public sealed class AdminApiTests
{
    private readonly LatchkeyServerFactory _factory;

    public AdminApiTests(LatchkeyServerFactory factory) => _factory = factory;

    private static string Date(int daysFromNow) => DateTimeOffset.UtcNow.AddDays(daysFromNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<JsonArray> AdminGetAsync(string url)
    {
        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    private static string[] Names(JsonArray tokens) => [.. tokens.Select(t => t!["name"]!.GetValue<string>())];

    [Fact]
    public async Task Administrators_list_every_users_tokens_with_the_owners_username_and_filter_them()
    {
        var ada = await _factory.CreateUserAsync();
        var bob = await _factory.CreateUserAsync();
        var adaClient = _factory.CreateClient(ada);
        await adaClient.CreateTokenAsync(new { name = "ada soon", scopes = new[] { "read_api" }, expires_at = Date(3) });
        await adaClient.CreateTokenAsync(new { name = "ada later", scopes = new[] { "read_api" }, expires_at = Date(60) });
        var revoked = await adaClient.CreateTokenAsync(new { name = "ada revoked", scopes = new[] { "read_api" }, expires_at = Date(2) });
        using (var revoke = await adaClient.DeleteAsync($"/api/tokens/{revoked["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await _factory.CreateClient(bob).CreateTokenAsync(new { name = "bob soon", scopes = new[] { "api" }, expires_at = Date(3) });

        var adas = await AdminGetAsync($"/api/administration/tokens?username={ada.Username.ToUpperInvariant()}&sort=name_asc");
        Assert.Equal(["ada later", "ada revoked", "ada soon"], Names(adas));
        Assert.All(adas, t =>
        {
            Assert.Equal(ada.Username, t!["username"]!.GetValue<string>());
            Assert.Equal(ada.Id, t["user_id"]!.GetValue<long>());
            Assert.Equal("active", t["user_state"]!.GetValue<string>());
            Assert.Equal("personal", t["kind"]!.GetValue<string>());
            Assert.Null(t["token"]);
        });

        Assert.Equal(["bob soon"], Names(await AdminGetAsync($"/api/administration/tokens?user_id={bob.Id}")));
        Assert.Equal(["ada soon"], Names(await AdminGetAsync($"/api/administration/tokens?username={ada.Username}&expires_within_days=7")));
        Assert.Equal(["ada revoked"], Names(await AdminGetAsync($"/api/administration/tokens?username={ada.Username}&state=revoked")));
        Assert.Empty(await AdminGetAsync($"/api/administration/tokens?username={ada.Username}&state=expired"));
        Assert.Equal(["ada later"], Names(await AdminGetAsync($"/api/administration/tokens?username={ada.Username}&search=LATER")));
        Assert.Empty(await AdminGetAsync("/api/administration/tokens?username=nobody-by-this-name"));

        // Across users: both soon-expiring tokens, each with its owner.
        var soon = await AdminGetAsync($"/api/administration/tokens?expires_within_days=7&search=soon&per_page=100");
        Assert.Contains(soon, t => t!["name"]!.GetValue<string>() == "bob soon" && t["username"]!.GetValue<string>() == bob.Username);
        Assert.Contains(soon, t => t!["name"]!.GetValue<string>() == "ada soon" && t["username"]!.GetValue<string>() == ada.Username);
    }

    [Fact]
    public async Task A_blocked_owner_shows_on_their_tokens()
    {
        var user = await _factory.CreateUserAsync();
        await _factory.CreateClient(user).CreateTokenAsync(new { name = "still listed", scopes = new[] { "read_api" } });
        using (var block = await (await _factory.CreateAdminClientAsync()).PostAsync($"/api/users/{user.Id}/block", null))
        {
            Assert.Equal(HttpStatusCode.OK, block.StatusCode);
        }

        var token = Assert.Single(await AdminGetAsync($"/api/administration/tokens?user_id={user.Id}"))!;
        Assert.Equal("blocked", token["user_state"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("state=stale", "state")]
    [InlineData("user_id=abc", "user_id")]
    [InlineData("expires_within_days=0", "expires_within_days")]
    [InlineData("expires_within_days=9999999", "expires_within_days")]
    [InlineData("expires_within_days=7&state=revoked", "expires_within_days")]
    [InlineData("sort=sideways", "sort")]
    [InlineData("per_page=-1", "per_page")]
    public async Task Bad_filters_of_the_admin_token_list_are_400_on_the_field(string query, string field)
    {
        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync($"/api/administration/tokens?{query}");
        await ProblemAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task Only_administrators_reach_the_admin_api()
    {
        var user = _factory.CreateClient(await _factory.CreateUserAsync());
        foreach (var url in new[] { "/api/administration/tokens", "/api/administration/policy" })
        {
            await ProblemAssert.ProblemAsync(await user.GetAsync(url), HttpStatusCode.Forbidden);
            await ProblemAssert.ProblemAsync(await _factory.CreateClient().GetAsync(url), HttpStatusCode.Unauthorized);
        }

        await ProblemAssert.ProblemAsync(await user.PostAsJsonAsync("/api/administration/tokens/lookup", new { token = "lk_whatever" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_leaked_value_shows_whose_token_it_is_before_it_is_revoked_by_id()
    {
        var owner = await _factory.CreateUserAsync();
        var leaked = await _factory.CreateClient(owner).CreateTokenAsync(new { name = "pasted in a chat", scopes = new[] { "read_api", "read_user" } });
        var secret = leaked["token"]!.GetValue<string>();
        using (var used = await _factory.CreateClient(secret).WithClientAddress("198.51.100.42").GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        var admin = await _factory.CreateAdminClientAsync();
        using var lookup = await admin.PostAsJsonAsync("/api/administration/tokens/lookup", new { token = secret });
        var text = await lookup.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.DoesNotContain(secret, text);
        Assert.Contains("no-store", lookup.Headers.CacheControl?.ToString());
        var found = JsonNode.Parse(text)!;
        Assert.Equal(leaked["id"]!.GetValue<long>(), found["id"]!.GetValue<long>());
        Assert.Equal(owner.Username, found["username"]!.GetValue<string>());
        Assert.Equal("pasted in a chat", found["name"]!.GetValue<string>());
        Assert.Equal(["read_api", "read_user"], found["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.NotNull(found["last_used_at"]);
        Assert.Equal("198.51.100.42", found["last_used_ips"]![0]!.GetValue<string>());
        Assert.True(found["active"]!.GetValue<bool>());

        // Looking is not revoking: the token still works until the administrator confirms.
        using (var stillWorks = await _factory.CreateClient(secret).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        }

        using (var revoke = await admin.DeleteAsync($"/api/tokens/{found["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var dead = await _factory.CreateClient(secret).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, dead.StatusCode);
        }

        using var afterwards = await admin.PostAsJsonAsync("/api/administration/tokens/lookup", new { token = secret });
        var revokedNow = (await afterwards.JsonAsync())!;
        Assert.True(revokedNow["revoked"]!.GetValue<bool>());
        Assert.DoesNotContain(secret, _factory.Logs.AllText);
    }

    [Fact]
    public async Task An_unknown_value_answers_404_exactly_as_a_malformed_one_and_echoes_nothing()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var real = (await admin.CreateTokenAsync(new { name = "to mistype", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();
        var typo = real[..^1] + (real[^1] == 'a' ? 'b' : 'a');

        using var unknown = await admin.PostAsJsonAsync("/api/administration/tokens/lookup", new { token = typo });
        using var garbage = await admin.PostAsJsonAsync("/api/administration/tokens/lookup", new { token = "definitely-not-a-token" });

        await ProblemAssert.ProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.SameAnswerAsync(unknown, garbage);
        Assert.DoesNotContain(typo, await unknown.Content.ReadAsStringAsync());
        await ProblemAssert.ValidationAsync(await admin.PostAsJsonAsync("/api/administration/tokens/lookup", new { token = "" }), "token");
    }

    [Fact]
    public async Task Looking_up_a_value_needs_admin_mode_not_only_read_api()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var readOnly = (await admin.CreateTokenAsync(new { name = "admin reader", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();
        var withAdminMode = (await admin.CreateTokenAsync(new { name = "admin mode reader", scopes = new[] { "read_api", "admin_mode" } }))["token"]!.GetValue<string>();

        using var refused = await _factory.CreateClient(readOnly).PostAsJsonAsync("/api/administration/tokens/lookup", new { token = withAdminMode });
        await ProblemAssert.ProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Contains("scope=\"admin_mode\"", refused.Headers.WwwAuthenticate.ToString());

        using var allowed = await _factory.CreateClient(withAdminMode).PostAsJsonAsync("/api/administration/tokens/lookup", new { token = readOnly });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("admin reader", (await allowed.JsonAsync())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_audit_log_filters_by_token_action_and_user_and_names_who_and_what()
    {
        var user = await _factory.CreateUserAsync();
        var token = await _factory.CreateClient(user).CreateTokenAsync(new { name = "audited by name", scopes = new[] { "read_api" } });
        var id = token["id"]!.GetValue<long>();
        var admin = await _factory.CreateAdminClientAsync();
        using (var revoke = await admin.DeleteAsync($"/api/tokens/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        var events = await AdminGetAsync($"/api/audit?token_id={id}");
        Assert.Equal(["token.revoked", "token.created"], events.Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(events, e =>
        {
            Assert.Equal("audited by name", e!["token_name"]!.GetValue<string>());
            Assert.Equal(user.Username, e["subject_username"]!.GetValue<string>());
        });
        Assert.Equal("admin", events[0]!["actor_username"]!.GetValue<string>());
        Assert.Equal(user.Username, events[1]!["actor_username"]!.GetValue<string>());

        var revokedOfUser = await AdminGetAsync($"/api/audit?action=token.revoked&username={user.Username}");
        Assert.Equal(id, Assert.Single(revokedOfUser)!["token_id"]!.GetValue<long>());
        var byId = await AdminGetAsync($"/api/audit?user_id={user.Id}&per_page=100");
        Assert.Contains(byId, e => e!["action"]!.GetValue<string>() == "user.created");
        Assert.All(byId, e => Assert.True(e!["actor_user_id"]?.GetValue<long>() == user.Id || e["subject_user_id"]?.GetValue<long>() == user.Id));
    }

    [Theory]
    [InlineData("user_id=x", "user_id")]
    [InlineData("token_id=-3", "token_id")]
    [InlineData("page=0", "page")]
    public async Task Bad_audit_filters_are_400_on_the_field(string query, string field)
    {
        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync($"/api/audit?{query}");
        await ProblemAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task The_policy_in_effect_lists_the_native_policy_first_then_each_dialects()
    {
        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/administration/policy");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.JsonAsync())!;
        Assert.Equal("12:00:00", body["session_lifetime"]!.GetValue<string>());
        var policies = body["policies"]!.AsArray();
        Assert.Equal(["native", "gitlab", "gitlab-self", "unleash", "sailpoint", "sanctum"], policies.Select(p => p!["name"]!.GetValue<string>()));

        JsonNode Policy(string name) => policies.Single(p => p!["name"]!.GetValue<string>() == name)!;
        Assert.Equal("30.00:00:00", Policy("native")["default_lifetime"]!.GetValue<string>());
        Assert.Equal("365.00:00:00", Policy("native")["maximum_lifetime"]!.GetValue<string>());
        Assert.Equal("lk_", Policy("native")["prefix"]!.GetValue<string>());
        Assert.Null(Policy("unleash")["maximum_lifetime"]);
        Assert.Equal(10, Policy("unleash")["max_tokens_per_user"]!.GetValue<int>());
        Assert.True(Policy("gitlab-self")["default_expires_at_end_of_day"]!.GetValue<bool>());
        Assert.Contains("k8s_proxy", Policy("gitlab-self")["allowed_scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }
}

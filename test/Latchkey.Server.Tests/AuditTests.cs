using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests;

/// <summary><c>GET /api/audit</c>: who did what to which token, from where; administrators only.</summary>
public sealed class AuditTests : IClassFixture<LatchkeyServerFactory>
{
    private const string Address = "203.0.113.77";

    private readonly LatchkeyServerFactory _factory;

    public AuditTests(LatchkeyServerFactory factory) => _factory = factory;

    private async Task<JsonArray> AuditAsync(string query = "?per_page=100")
    {
        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync($"/api/audit{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())!.AsArray();
    }

    private static JsonObject Single(JsonArray events, string action, long tokenId)
        => Assert.Single(events, e => e!["action"]!.GetValue<string>() == action && e["token_id"]?.GetValue<long>() == tokenId)!.AsObject();

    [Fact]
    public async Task Token_changes_are_audited_with_actor_token_and_address()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user).WithClientAddress(Address);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var create = await client.PostAsJsonAsync("/api/tokens", new { name = "audited", scopes = new[] { "api" } });
        var created = (await create.JsonAsync())!;
        var id = created["id"]!.GetValue<long>();
        using var patch = await client.PatchAsJsonAsync($"/api/tokens/{id}", new { name = "audited too" });
        using var rotate = await client.PostAsync($"/api/tokens/{id}/rotate", null);
        var successor = (await rotate.JsonAsync())!["id"]!.GetValue<long>();
        using var revoke = await client.DeleteAsync($"/api/tokens/{successor}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var events = await AuditAsync();
        foreach (var (action, tokenId) in new[] { ("token.created", id), ("token.updated", id), ("token.rotated", id), ("token.revoked", successor) })
        {
            var e = Single(events, action, tokenId);
            Assert.Equal(user.Id, e["actor_user_id"]!.GetValue<long>());
            Assert.Equal(user.Id, e["subject_user_id"]!.GetValue<long>());
            Assert.Equal(Address, e["ip_address"]!.GetValue<string>());
            Assert.InRange(DateTimeOffset.Parse(e["at"]!.GetValue<string>(), CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow.AddSeconds(1));
        }

        // Newest first.
        var ids = events.Select(e => e!["id"]!.GetValue<long>()).ToArray();
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task Reuse_of_a_rotated_token_is_audited()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await client.CreateTokenAsync(new { name = "reused", scopes = new[] { "api" } });
        var id = token["id"]!.GetValue<long>();
        using (var rotate = await client.PostAsync($"/api/tokens/{id}/rotate", null))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        }

        // Refused anywhere, but a reuse only where it asks to rotate.
        var stale = _factory.CreateClient(token["token"]!.GetValue<string>()).WithClientAddress("198.51.100.99");
        using (var elsewhere = await stale.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        }

        Assert.DoesNotContain(await AuditAsync(), e => e!["action"]!.GetValue<string>() == "token.reuse_detected" && e["token_id"]?.GetValue<long>() == id);
        using (var reuse = await stale.PostAsync("/api/tokens/self/rotate", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        }

        var e = Single(await AuditAsync(), "token.reuse_detected", id);
        Assert.Equal("198.51.100.99", e["ip_address"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failed_sign_ins_are_audited_with_the_address_and_the_account_but_never_the_password()
    {
        const string password = "a-wrong-password-to-hide";
        using (var failed = await _factory.CreateClient().WithClientAddress("198.51.100.201").PostAsJsonAsync("/api/session", new { username = "admin", password }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var raw = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/audit?per_page=100");
        var text = await raw.Content.ReadAsStringAsync();
        Assert.DoesNotContain(password, text);
        var e = Assert.Single(JsonNode.Parse(text)!.AsArray(), e => e!["action"]!.GetValue<string>() == "sign_in.failed" && e["ip_address"]?.GetValue<string>() == "198.51.100.201")!;
        Assert.Null(e["actor_user_id"]);
        using var me = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/user");
        Assert.Equal((await me.JsonAsync())!["id"]!.GetValue<long>(), e["subject_user_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_password_typed_into_the_username_field_never_reaches_the_audit_log_yet_repeats_are_recognisable()
    {
        const string typedAsUsername = "Tr0ub4dor&3-my-real-password";
        const string otherUnknown = "Correct-Horse-Battery-Staple-9";
        async Task FailAsync(string username, string address)
        {
            using var failed = await _factory.CreateClient().WithClientAddress(address).PostAsJsonAsync("/api/session", new { username, password = "whatever-it-was-long" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        await FailAsync(typedAsUsername, "198.51.100.211");
        await FailAsync(typedAsUsername, "198.51.100.212");
        await FailAsync(otherUnknown, "198.51.100.213");

        using var raw = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/audit?per_page=100");
        var text = await raw.Content.ReadAsStringAsync();
        foreach (var typed in new[] { typedAsUsername, otherUnknown })
        {
            // Not the text, not even its start (before any character JSON would escape), in any case.
            Assert.DoesNotContain(typed[..9], text, StringComparison.OrdinalIgnoreCase);
        }

        string DetailsFrom(string address)
        {
            var e = Assert.Single(JsonNode.Parse(text)!.AsArray(), e => e!["action"]!.GetValue<string>() == "sign_in.failed" && e["ip_address"]?.GetValue<string>() == address)!;
            Assert.Null(e["subject_user_id"]);
            return e["details"]!.GetValue<string>();
        }

        Assert.Matches("^unknown_username=[0-9a-z]{2}:[0-9a-f]{24}$", DetailsFrom("198.51.100.211"));
        Assert.Equal(DetailsFrom("198.51.100.211"), DetailsFrom("198.51.100.212"));
        Assert.NotEqual(DetailsFrom("198.51.100.211"), DetailsFrom("198.51.100.213"));
    }

    [Fact]
    public async Task The_audit_log_never_shows_a_secret()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await client.CreateTokenAsync(new { name = "quiet", scopes = new[] { "api" } });
        using (var revoke = await client.PostAsJsonAsync("/api/tokens/revoke", new { token = token["token"]!.GetValue<string>() }))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var raw = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/audit?per_page=100");
        var text = await raw.Content.ReadAsStringAsync();
        Assert.DoesNotContain(token["token"]!.GetValue<string>(), text);
        Assert.DoesNotContain(await _factory.AdminSessionAsync(), text);
        Single(JsonNode.Parse(text)!.AsArray(), "token.revoked", token["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_audit_log_is_paged_like_every_list()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        await client.CreateTokenAsync(new { name = "one more event", scopes = new[] { "api" } });

        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/audit?per_page=1&page=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single((await response.JsonAsync())!.AsArray());
        Assert.Equal("2", response.Headers.GetValues("X-Page").Single());
        Assert.Equal("1", response.Headers.GetValues("X-Per-Page").Single());
        Assert.Equal("1", response.Headers.GetValues("X-Prev-Page").Single());
        Assert.True(long.Parse(response.Headers.GetValues("X-Total").Single(), CultureInfo.InvariantCulture) >= 2);
        Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task Only_administrators_read_the_audit_log()
    {
        var user = _factory.CreateClient(await _factory.CreateUserAsync());
        using (var refused = await user.GetAsync("/api/audit"))
        {
            await ProblemAssert.ProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        using (var anonymous = await _factory.CreateClient().GetAsync("/api/audit"))
        {
            await ProblemAssert.ProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        }

        var k8s = (await (await _factory.CreateAdminClientAsync()).CreateTokenAsync(new { name = "admin k8s", scopes = new[] { "k8s_proxy" } }))["token"]!.GetValue<string>();
        using var scope = await _factory.CreateClient(k8s).GetAsync("/api/audit");
        await ProblemAssert.ProblemAsync(scope, HttpStatusCode.Forbidden);
        Assert.Contains("scope=\"read_api\"", scope.Headers.WwwAuthenticate.ToString());
    }
}

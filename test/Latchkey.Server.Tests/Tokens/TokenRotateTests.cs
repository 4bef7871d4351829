using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using static Latchkey.Server.Tests.Infrastructure.Dates;

namespace Latchkey.Server.Tests.Tokens;

/// <summary><c>POST /api/tokens/{id}/rotate</c> and <c>/self/rotate</c>, reuse detection and racing rotations.</summary>
[Collection(NativeTokensServer.Name)]
public sealed class TokenRotateTests
{
    private readonly LatchkeyServerFactory _factory;

    public TokenRotateTests(LatchkeyServerFactory factory) => _factory = factory;

    private static async Task<JsonObject> RotatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"rotate answered {(int)response.StatusCode}: {text}");
        Assert.True(response.Headers.CacheControl?.NoStore, "a response carrying a secret must not be cached");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Rotating_by_id_issues_a_new_secret_with_the_same_name_description_scopes_and_lifetime()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var old = await client.CreateTokenAsync(new { name = "ci", description = "pipeline", scopes = new[] { "read_api", "write_registry" }, expires_at = $"{Date(20)}T12:00:00Z" });
        var oldSecret = old["token"]!.GetValue<string>();

        using var response = await client.PostAsync($"/api/tokens/{old["id"]}/rotate", null);
        var rotated = await RotatedAsync(response);

        Assert.Equal(
            ["active", "created_at", "description", "expires_at", "id", "last_used_at", "last_used_ips", "name", "revoked", "scopes", "token", "user_id"],
            rotated.Select(p => p.Key).Order());
        Assert.NotEqual(old["id"]!.GetValue<long>(), rotated["id"]!.GetValue<long>());
        Assert.NotEqual(oldSecret, rotated["token"]!.GetValue<string>());
        Assert.Equal("ci", rotated["name"]!.GetValue<string>());
        Assert.Equal("pipeline", rotated["description"]!.GetValue<string>());
        Assert.Equal(old["scopes"]!.ToJsonString(), rotated["scopes"]!.ToJsonString());
        Assert.Equal(old["user_id"]!.GetValue<long>(), rotated["user_id"]!.GetValue<long>());
        Assert.True(rotated["active"]!.GetValue<bool>());
        Assert.Equal(Instant(old["expires_at"]) - Instant(old["created_at"]), Instant(rotated["expires_at"]) - Instant(rotated["created_at"]));

        using (var newWorks = await _factory.CreateClient(rotated["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, newWorks.StatusCode);
        }

        // The old one stays listed, revoked, for the record.
        using var list = await client.GetAsync("/api/tokens?sort=id_asc");
        var listed = (await list.JsonAsync())!.AsArray();
        Assert.Equal(2, listed.Count);
        Assert.True(listed[0]!["revoked"]!.GetValue<bool>());
        Assert.False(listed[0]!["active"]!.GetValue<bool>());
        Assert.False(listed[1]!["revoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Rotating_with_an_expiry_uses_it_and_policy_still_applies()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var old = await client.CreateTokenAsync(new { name = "dated", scopes = new[] { "api" } });

        using (var beyond = await client.PostAsJsonAsync($"/api/tokens/{old["id"]}/rotate", new { expires_at = Date(400) }))
        {
            await ProblemAssert.ValidationAsync(beyond, "expires_at");
        }

        using (var stillWorks = await _factory.CreateClient(old["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        }

        using var response = await client.PostAsJsonAsync($"/api/tokens/{old["id"]}/rotate", new { expires_at = Date(7) });
        Assert.Equal($"{Date(7)}T00:00:00.000Z", (await RotatedAsync(response))["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_never_expiring_token_rotates_into_a_never_expiring_one()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        using var create = await client.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"forever","scopes":["api"],"expires_at":null,"never_expires_acknowledged":true}""");
        var old = (await create.JsonAsync())!;

        using var response = await client.PostAsync($"/api/tokens/{old["id"]}/rotate", null);
        var rotated = await RotatedAsync(response);
        Assert.True(rotated.ContainsKey("expires_at"));
        Assert.Null(rotated["expires_at"]);
    }

    [Fact]
    public async Task Self_rotate_rotates_the_token_making_the_request()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var old = await client.CreateTokenAsync(new { name = "self", scopes = new[] { "self_rotate", "read_api" } });
        var self = _factory.CreateClient(old["token"]!.GetValue<string>());

        using var response = await self.PostAsync("/api/tokens/self/rotate", null);
        var rotated = await RotatedAsync(response);
        Assert.Equal("self", rotated["name"]!.GetValue<string>());
        Assert.Equal(["self_rotate", "read_api"], rotated["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        using var withExpiry = await _factory.CreateClient(rotated["token"]!.GetValue<string>()).PostAsJsonAsync("/api/tokens/self/rotate", new { expires_at = Date(3) });
        Assert.Equal($"{Date(3)}T00:00:00.000Z", (await RotatedAsync(withExpiry))["expires_at"]!.GetValue<string>());

        // The rotated-away secret is refused wherever it is presented (outside a rotate endpoint, with no other effect).
        using var old401 = await self.GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, old401.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/tokens/self")]
    [InlineData("GET", "/health/live")]
    [InlineData("GET", "/api/tokens")]
    [InlineData("DELETE", "/api/tokens/self")]
    public async Task A_rotated_away_secret_outside_a_rotate_endpoint_is_refused_and_its_successor_keeps_working(string method, string path)
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var old = await client.CreateTokenAsync(new { name = "stale copy", scopes = new[] { "api" } });
        using var rotate = await client.PostAsync($"/api/tokens/{old["id"]}/rotate", null);
        var successor = await RotatedAsync(rotate);

        using (var stale = await _factory.CreateClient(old["token"]!.GetValue<string>()).SendAsync(new HttpRequestMessage(new HttpMethod(method), path)))
        {
            if (path != "/health/live")
            {
                await ProblemAssert.ProblemAsync(stale, HttpStatusCode.Unauthorized);
                Assert.Contains("error=\"invalid_token\"", stale.Headers.WwwAuthenticate.ToString());
            }
        }

        using var after = await _factory.CreateClient(successor["token"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        using var list = await client.GetAsync("/api/tokens?sort=id_asc");
        Assert.Equal([true, false], (await list.JsonAsync())!.AsArray().Select(t => t!["revoked"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("/api/tokens/self/rotate")]
    [InlineData("/api/tokens/{id}/rotate")]
    public async Task A_rotated_away_secret_presented_to_a_rotate_endpoint_revokes_the_whole_family(string path)
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        var first = await client.CreateTokenAsync(new { name = "stolen copy", scopes = new[] { "api" } });
        var unrelated = await client.CreateTokenAsync(new { name = "unrelated", scopes = new[] { "api" } });
        using var r1 = await client.PostAsync($"/api/tokens/{first["id"]}/rotate", null);
        var second = await RotatedAsync(r1);
        using var r2 = await client.PostAsync($"/api/tokens/{second["id"]}/rotate", null);
        var third = await RotatedAsync(r2);

        var thief = _factory.CreateClient(first["token"]!.GetValue<string>()).WithClientAddress("198.51.100.66");
        using (var reuse = await thief.PostAsync(path.Replace("{id}", first["id"]!.ToString(), StringComparison.Ordinal), null))
        {
            await ProblemAssert.ProblemAsync(reuse, HttpStatusCode.Unauthorized);
            Assert.Contains("error=\"invalid_token\"", reuse.Headers.WwwAuthenticate.ToString());
        }

        using (var current = await _factory.CreateClient(third["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, current.StatusCode);
        }

        using (var other = await _factory.CreateClient(unrelated["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        using var audit = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/audit?per_page=100");
        var detected = Assert.Single((await audit.JsonAsync())!.AsArray(), e => e!["action"]!.GetValue<string>() == "token.reuse_detected" && e["token_id"]!.GetValue<long>() == first["id"]!.GetValue<long>())!;
        Assert.Equal("198.51.100.66", detected["ip_address"]!.GetValue<string>());
        Assert.Equal(user.Id, detected["subject_user_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Self_rotate_needs_self_rotate_which_api_implies_and_rotating_by_id_needs_api()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var reader = await client.CreateTokenAsync(new { name = "reader", scopes = new[] { "read_api" } });
        var selfOnly = await client.CreateTokenAsync(new { name = "self only", scopes = new[] { "self_rotate" } });
        var api = await client.CreateTokenAsync(new { name = "api", scopes = new[] { "api" } });

        using (var refused = await _factory.CreateClient(reader["token"]!.GetValue<string>()).PostAsync("/api/tokens/self/rotate", null))
        {
            await ProblemAssert.ProblemAsync(refused, HttpStatusCode.Forbidden);
            Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"self_rotate\"", refused.Headers.WwwAuthenticate.ToString());
        }

        using (var byId = await _factory.CreateClient(selfOnly["token"]!.GetValue<string>()).PostAsync($"/api/tokens/{selfOnly["id"]}/rotate", null))
        {
            await ProblemAssert.ProblemAsync(byId, HttpStatusCode.Forbidden);
            Assert.Contains("scope=\"api\"", byId.Headers.WwwAuthenticate.ToString());
        }

        using var viaApi = await _factory.CreateClient(api["token"]!.GetValue<string>()).PostAsync("/api/tokens/self/rotate", null);
        await RotatedAsync(viaApi);
    }

    [Fact]
    public async Task Rotating_by_id_a_token_already_rotated_answers_409_and_revokes_nothing()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var first = await client.CreateTokenAsync(new { name = "family", scopes = new[] { "api" } });
        using var r1 = await client.PostAsync($"/api/tokens/{first["id"]}/rotate", null);
        var second = await RotatedAsync(r1);
        using var r2 = await client.PostAsync($"/api/tokens/{second["id"]}/rotate", null);
        var third = await RotatedAsync(r2);

        using var again = await client.PostAsync($"/api/tokens/{first["id"]}/rotate", null);
        var body = await ProblemAssert.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal("Token already rotated", body["title"]!.GetValue<string>());
        Assert.False(body.ContainsKey("token"));
        Assert.DoesNotContain("lk_", body.ToJsonString());

        using (var current = await _factory.CreateClient(third["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        }

        using var list = await client.GetAsync("/api/tokens?sort=id_asc");
        var listed = (await list.JsonAsync())!.AsArray();
        Assert.Equal([true, true, false], listed.Select(t => t!["revoked"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_revoked_token_cannot_be_rotated()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await client.CreateTokenAsync(new { name = "gone", scopes = new[] { "api" } });
        using (var revoke = await client.DeleteAsync($"/api/tokens/{token["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var response = await client.PostAsync($"/api/tokens/{token["id"]}/rotate", null);
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        using var list = await client.GetAsync("/api/tokens");
        Assert.Single((await list.JsonAsync())!.AsArray());
    }

    [Fact]
    public async Task Two_concurrent_rotations_of_one_token_let_exactly_one_succeed()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        for (var round = 0; round < 5; round++)
        {
            var token = await client.CreateTokenAsync(new { name = $"race {round}", scopes = new[] { "api" } });
            var url = $"/api/tokens/{token["id"]}/rotate";
            var responses = await Task.WhenAll(client.PostAsync(url, null), client.PostAsync(url, null));
            string winner;
            try
            {
                var won = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
                winner = (await won.JsonAsync())!["token"]!.GetValue<string>();
                var loser = responses.Single(r => r.StatusCode != HttpStatusCode.OK);
                await ProblemAssert.ProblemAsync(loser, HttpStatusCode.Conflict);
            }
            finally
            {
                foreach (var response in responses)
                {
                    response.Dispose();
                }
            }

            using (var works = await _factory.CreateClient(winner).GetAsync("/api/tokens/self"))
            {
                Assert.Equal(HttpStatusCode.OK, works.StatusCode);
            }

            using var list = await client.GetAsync($"/api/tokens?search=race {round}&sort=id_asc");
            Assert.Equal([true, false], (await list.JsonAsync())!.AsArray().Select(t => t!["revoked"]!.GetValue<bool>()));
        }
    }

    [Fact]
    public async Task A_token_cannot_rotate_a_token_broader_than_itself()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var full = await client.CreateTokenAsync(new { name = "full", scopes = new[] { "*" } });
        var api = (await client.CreateTokenAsync(new { name = "api", scopes = new[] { "api" } }))["token"]!.GetValue<string>();

        using var response = await _factory.CreateClient(api).PostAsync($"/api/tokens/{full["id"]}/rotate", null);
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);

        using var still = await _factory.CreateClient(full["token"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task An_administrator_rotates_another_users_token_which_stays_theirs()
    {
        var user = await _factory.CreateUserAsync();
        var token = await _factory.CreateClient(user).CreateTokenAsync(new { name = "theirs", scopes = new[] { "api" } });
        using var response = await (await _factory.CreateAdminClientAsync()).PostAsync($"/api/tokens/{token["id"]}/rotate", null);
        Assert.Equal(user.Id, (await RotatedAsync(response))["user_id"]!.GetValue<long>());
    }
}

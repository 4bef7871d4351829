using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;
using static Latchkey.Server.Tests.Infrastructure.Dates;

namespace Latchkey.Server.Tests.Tokens;

/// <summary>The token policy as an operator sets it under <c>Latchkey:Tokens</c>.</summary>
public sealed class TokenPolicyConfigurationTests : IClassFixture<TokenPolicyConfigurationTests.Factory>
{
    private readonly Factory _factory;

    public TokenPolicyConfigurationTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Tokens:AllowNeverExpiring"] = "false",
            ["Latchkey:Tokens:MaxTokensPerUser"] = "3",
            ["Latchkey:Tokens:UniqueNamesPerUser"] = "true",
            ["Latchkey:Tokens:DefaultLifetime"] = "7.00:00:00",
            ["Latchkey:Tokens:MaximumLifetime"] = "10.00:00:00",
            ["Latchkey:Tokens:Prefix"] = "acme_",
        };
    }

    private async Task<HttpClient> NewUserAsync() => _factory.CreateClient(await _factory.CreateUserAsync());

    private static async Task<long> CountAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/tokens?per_page=1");
        return long.Parse(response.Headers.GetValues("X-Total").Single(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Never_expiring_tokens_are_refused_even_when_acknowledged()
    {
        var client = await NewUserAsync();
        using var response = await client.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"forever","scopes":["api"],"expires_at":null,"never_expires_acknowledged":true}""");
        await ProblemAssert.ValidationAsync(response, "expires_at");
        Assert.Equal(0, await CountAsync(client));

        var token = await client.CreateTokenAsync(new { name = "dated", scopes = new[] { "api" } });
        using var patch = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", """{"expires_at":null,"never_expires_acknowledged":true}""");
        await ProblemAssert.ValidationAsync(patch, "expires_at");
    }

    [Fact]
    public async Task The_configured_default_and_maximum_lifetimes_apply()
    {
        var client = await NewUserAsync();
        var created = await client.CreateTokenAsync(new { name = "default", scopes = new[] { "api" } });
        Assert.Equal(Instant(created["created_at"]).AddDays(7), Instant(created["expires_at"]));

        await client.CreateTokenAsync(new { name = "ten days", scopes = new[] { "api" }, expires_at = Date(10) });
        using var beyond = await client.PostAsJsonAsync("/api/tokens", new { name = "eleven days", scopes = new[] { "api" }, expires_at = Date(11) });
        await ProblemAssert.ValidationAsync(beyond, "expires_at");
    }

    [Fact]
    public async Task Tokens_carry_the_configured_prefix()
    {
        var client = await NewUserAsync();
        var created = await client.CreateTokenAsync(new { name = "prefixed", scopes = new[] { "api" } });
        var secret = created["token"]!.GetValue<string>();
        Assert.StartsWith("acme_", secret);
        using var self = await _factory.CreateClient(secret).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
    }

    [Fact]
    public async Task The_per_user_cap_refuses_one_more_active_token_until_one_is_revoked()
    {
        var client = await NewUserAsync();
        var first = await client.CreateTokenAsync(new { name = "one", scopes = new[] { "api" } });
        await client.CreateTokenAsync(new { name = "two", scopes = new[] { "api" } });
        await client.CreateTokenAsync(new { name = "three", scopes = new[] { "api" } });

        using (var fourth = await client.PostAsJsonAsync("/api/tokens", new { name = "four", scopes = new[] { "api" } }))
        {
            var body = await ProblemAssert.ProblemAsync(fourth, HttpStatusCode.Forbidden);
            Assert.Contains("3", body["detail"]!.GetValue<string>());
        }

        Assert.Equal(3, await CountAsync(client));

        // Another user has their own allowance.
        await (await NewUserAsync()).CreateTokenAsync(new { name = "one", scopes = new[] { "api" } });

        using (var revoke = await client.DeleteAsync($"/api/tokens/{first["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await client.CreateTokenAsync(new { name = "four", scopes = new[] { "api" } });
    }

    [Fact]
    public async Task Rotating_at_the_cap_still_works()
    {
        var client = await NewUserAsync();
        var tokens = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            tokens.Add(await client.CreateTokenAsync(new { name, scopes = new[] { "api" } }));
        }

        using var rotate = await client.PostAsync($"/api/tokens/{tokens[0]["id"]}/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
    }

    [Fact]
    public async Task Names_are_unique_among_a_users_active_tokens()
    {
        var client = await NewUserAsync();
        var ci = await client.CreateTokenAsync(new { name = "ci", scopes = new[] { "api" } });
        var other = await client.CreateTokenAsync(new { name = "other", scopes = new[] { "api" } });

        using (var duplicate = await client.PostAsJsonAsync("/api/tokens", new { name = "ci", scopes = new[] { "read_api" } }))
        {
            await ProblemAssert.ProblemAsync(duplicate, HttpStatusCode.Conflict);
        }

        using (var rename = await client.PatchAsJsonAsync($"/api/tokens/{other["id"]}", new { name = "ci" }))
        {
            await ProblemAssert.ProblemAsync(rename, HttpStatusCode.Conflict);
        }

        // Someone else may use the name; and once revoked, it is free again.
        await (await NewUserAsync()).CreateTokenAsync(new { name = "ci", scopes = new[] { "api" } });
        using (var revoke = await client.DeleteAsync($"/api/tokens/{ci["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await client.CreateTokenAsync(new { name = "ci", scopes = new[] { "api" } });
    }

    [Fact]
    public async Task Rotating_keeps_a_unique_name()
    {
        var client = await NewUserAsync();
        var token = await client.CreateTokenAsync(new { name = "rotating", scopes = new[] { "api" } });
        using var rotate = await client.PostAsync($"/api/tokens/{token["id"]}/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        Assert.Equal("rotating", (await rotate.JsonAsync())!["name"]!.GetValue<string>());
    }
}

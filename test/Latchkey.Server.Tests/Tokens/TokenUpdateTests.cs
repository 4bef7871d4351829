using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using static Latchkey.Server.Tests.Infrastructure.Dates;

namespace Latchkey.Server.Tests.Tokens;

/// <summary><c>PATCH /api/tokens/{id}</c>: rename, describe, narrow scopes, move the expiry within policy.</summary>
[Collection(NativeTokensServer.Name)]
public sealed class TokenUpdateTests
{
    private readonly LatchkeyServerFactory _factory;

    public TokenUpdateTests(LatchkeyServerFactory factory) => _factory = factory;

    private async Task<(HttpClient Client, JsonObject Token)> ArrangeAsync(object? body = null)
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await client.CreateTokenAsync(body ?? new { name = "original", description = "first words", scopes = new[] { "api" }, expires_at = Date(30) });
        return (client, token);
    }

    private static async Task<JsonObject> PatchAsync(HttpClient client, JsonObject token, string json)
    {
        using var response = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PATCH answered {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.False(body.ContainsKey("token"), "an update never shows a secret");
        return body;
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, JsonObject token)
    {
        using var response = await client.GetAsync($"/api/tokens/{token["id"]}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())!.AsObject();
    }

    [Fact]
    public async Task Renaming_changes_only_the_name_and_the_secret_keeps_working()
    {
        var (client, token) = await ArrangeAsync();
        var updated = await PatchAsync(client, token, """{"name":"renamed"}""");

        Assert.Equal("renamed", updated["name"]!.GetValue<string>());
        Assert.Equal("first words", updated["description"]!.GetValue<string>());
        Assert.Equal(token["scopes"]!.ToJsonString(), updated["scopes"]!.ToJsonString());
        Assert.Equal(token["expires_at"]!.GetValue<string>(), updated["expires_at"]!.GetValue<string>());
        Assert.Equal(token["id"]!.GetValue<long>(), updated["id"]!.GetValue<long>());
        Assert.Equal("renamed", (await GetAsync(client, token))["name"]!.GetValue<string>());

        using var self = await _factory.CreateClient(token["token"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal("renamed", (await self.JsonAsync())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_description_is_set_cleared_with_null_and_kept_when_absent()
    {
        var (client, token) = await ArrangeAsync();
        Assert.Equal("new words", (await PatchAsync(client, token, """{"description":"new words"}"""))["description"]!.GetValue<string>());
        Assert.Equal("new words", (await PatchAsync(client, token, """{"name":"other"}"""))["description"]!.GetValue<string>());
        Assert.Null((await PatchAsync(client, token, """{"description":null}"""))["description"]);
        Assert.Null((await GetAsync(client, token))["description"]);
    }

    [Fact]
    public async Task An_empty_patch_changes_nothing()
    {
        var (client, token) = await ArrangeAsync();
        var updated = await PatchAsync(client, token, "{}");
        foreach (var field in new[] { "name", "description", "scopes", "expires_at", "created_at" })
        {
            Assert.Equal(token[field]!.ToJsonString(), updated[field]!.ToJsonString());
        }
    }

    [Fact]
    public async Task Scopes_can_be_narrowed_but_never_broadened()
    {
        var (client, token) = await ArrangeAsync();
        var narrowed = await PatchAsync(client, token, """{"scopes":["read_api","write_repository"]}""");
        Assert.Equal(["read_api", "write_repository"], narrowed["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        using (var back = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", """{"scopes":["api"]}"""))
        {
            await ProblemAssert.ValidationAsync(back, "scopes");
        }

        using (var sideways = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", """{"scopes":["read_api","k8s_proxy"]}"""))
        {
            await ProblemAssert.ValidationAsync(sideways, "scopes");
        }

        using (var empty = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", """{"scopes":[]}"""))
        {
            await ProblemAssert.ValidationAsync(empty, "scopes");
        }

        Assert.Equal(["read_api", "write_repository"], (await GetAsync(client, token))["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        // The narrowed token is held to its new scopes at once.
        using var write = await _factory.CreateClient(token["token"]!.GetValue<string>()).PostAsJsonAsync("/api/tokens", new { name = "x", scopes = new[] { "read_api" } });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task The_expiry_moves_within_policy()
    {
        var (client, token) = await ArrangeAsync();
        Assert.Equal($"{Date(100)}T00:00:00.000Z", (await PatchAsync(client, token, $$"""{"expires_at":"{{Date(100)}}"}"""))["expires_at"]!.GetValue<string>());
        Assert.Equal($"{Date(2)}T06:00:00.000Z", (await PatchAsync(client, token, $$"""{"expires_at":"{{Date(2)}}T06:00:00Z"}"""))["expires_at"]!.GetValue<string>());

        foreach (var refused in new[] { Date(0), Date(-3), Date(366), "9999-12-31", "nope" })
        {
            using var response = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", $$"""{"expires_at":"{{refused}}"}""");
            await ProblemAssert.ValidationAsync(response, "expires_at");
        }

        Assert.Equal($"{Date(2)}T06:00:00.000Z", (await GetAsync(client, token))["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task Never_expiring_by_patch_needs_the_acknowledgement_too()
    {
        var (client, token) = await ArrangeAsync();
        using (var refused = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", """{"expires_at":null}"""))
        {
            await ProblemAssert.ValidationAsync(refused, "expires_at");
        }

        var updated = await PatchAsync(client, token, """{"expires_at":null,"never_expires_acknowledged":true}""");
        Assert.True(updated.ContainsKey("expires_at"));
        Assert.Null(updated["expires_at"]);
    }

    [Fact]
    public async Task A_refused_field_leaves_the_other_fields_unchanged_too()
    {
        var (client, token) = await ArrangeAsync();
        using var response = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", """{"name":"half","scopes":["nope"]}""");
        await ProblemAssert.ValidationAsync(response, "scopes");
        Assert.Equal("original", (await GetAsync(client, token))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_revoked_token_cannot_be_changed()
    {
        var (client, token) = await ArrangeAsync();
        using (var revoke = await client.DeleteAsync($"/api/tokens/{token["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var response = await client.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", """{"name":"zombie"}""");
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("original", (await GetAsync(client, token))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changing_a_token_needs_the_api_scope()
    {
        var (client, token) = await ArrangeAsync();
        var reader = (await client.CreateTokenAsync(new { name = "reader", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();
        using var response = await _factory.CreateClient(reader).SendRawAsync(HttpMethod.Patch, $"/api/tokens/{token["id"]}", """{"name":"by reader"}""");
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"api\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_administrator_can_change_another_users_token()
    {
        var (client, token) = await ArrangeAsync();
        var admin = await _factory.CreateAdminClientAsync();
        var updated = await PatchAsync(admin, token, """{"name":"by admin"}""");
        Assert.Equal("by admin", updated["name"]!.GetValue<string>());
        Assert.Equal("by admin", (await GetAsync(client, token))["name"]!.GetValue<string>());
    }
}

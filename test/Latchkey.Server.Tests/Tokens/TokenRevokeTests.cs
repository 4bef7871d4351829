using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Tokens;

/// <summary><c>DELETE /api/tokens/{id}</c>, <c>/self</c>, and revoking a leaked secret with <c>POST /api/tokens/revoke</c>.</summary>
[Collection(NativeTokensServer.Name)]
public sealed class TokenRevokeTests
{
    private readonly LatchkeyServerFactory _factory;

    public TokenRevokeTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_revoked_token_fails_on_the_very_next_request_and_stays_listed_as_revoked()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await client.CreateTokenAsync(new { name = "short-lived", scopes = new[] { "api" } });
        var holder = _factory.CreateClient(token["token"]!.GetValue<string>());
        using (var warm = await holder.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode); // now in the validation cache
        }

        using (var revoke = await client.DeleteAsync($"/api/tokens/{token["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
            Assert.Empty(await revoke.Content.ReadAsByteArrayAsync());
        }

        using (var dead = await holder.GetAsync("/api/tokens/self"))
        {
            await ProblemAssert.ProblemAsync(dead, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer realm=\"Latchkey\", error=\"invalid_token\"", dead.Headers.WwwAuthenticate.ToString());
        }

        using var get = await client.GetAsync($"/api/tokens/{token["id"]}");
        var shown = (await get.JsonAsync())!;
        Assert.True(shown["revoked"]!.GetValue<bool>());
        Assert.False(shown["active"]!.GetValue<bool>());
        using var list = await client.GetAsync("/api/tokens");
        Assert.Contains((await list.JsonAsync())!.AsArray(), t => t!["id"]!.GetValue<long>() == token["id"]!.GetValue<long>() && t["revoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Revoking_twice_is_fine()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await client.CreateTokenAsync(new { name = "twice", scopes = new[] { "api" } });
        using var first = await client.DeleteAsync($"/api/tokens/{token["id"]}");
        using var second = await client.DeleteAsync($"/api/tokens/{token["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
    }

    [Fact]
    public async Task A_token_revokes_itself_with_any_scope()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await client.CreateTokenAsync(new { name = "k8s", scopes = new[] { "k8s_proxy" } });
        var holder = _factory.CreateClient(token["token"]!.GetValue<string>());

        using (var revoke = await holder.DeleteAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var dead = await holder.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, dead.StatusCode);
        }

        using var get = await client.GetAsync($"/api/tokens/{token["id"]}");
        Assert.True((await get.JsonAsync())!["revoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Revoking_by_id_needs_the_api_scope()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var target = await client.CreateTokenAsync(new { name = "target", scopes = new[] { "api" } });
        var reader = (await client.CreateTokenAsync(new { name = "reader", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();

        using var response = await _factory.CreateClient(reader).DeleteAsync($"/api/tokens/{target["id"]}");
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        using var still = await _factory.CreateClient(target["token"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task The_owner_revokes_a_leaked_secret_by_value()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var leaked = await client.CreateTokenAsync(new { name = "leaked", scopes = new[] { "api" } });
        var secret = leaked["token"]!.GetValue<string>();
        using (var warm = await _factory.CreateClient(secret).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using (var revoke = await client.PostAsJsonAsync("/api/tokens/revoke", new { token = secret }))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var dead = await _factory.CreateClient(secret).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, dead.StatusCode);
        }

        using (var again = await client.PostAsJsonAsync("/api/tokens/revoke", new { token = secret }))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }
    }

    [Fact]
    public async Task An_administrator_revokes_anyones_secret_by_value()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var secret = (await client.CreateTokenAsync(new { name = "found on a paste site", scopes = new[] { "api" } }))["token"]!.GetValue<string>();

        using (var revoke = await (await _factory.CreateAdminClientAsync()).PostAsJsonAsync("/api/tokens/revoke", new { token = secret }))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var dead = await _factory.CreateClient(secret).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, dead.StatusCode);
    }

    [Fact]
    public async Task Revoking_by_value_answers_the_same_404_for_unknown_malformed_and_someone_elses_secrets()
    {
        var owner = _factory.CreateClient(await _factory.CreateUserAsync());
        var stranger = _factory.CreateClient(await _factory.CreateUserAsync());
        var theirs = (await owner.CreateTokenAsync(new { name = "not yours", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        var gone = await owner.CreateTokenAsync(new { name = "a real format", scopes = new[] { "api" } });
        var wellFormedButUnknown = gone["token"]!.GetValue<string>();
        using (var delete = await owner.DeleteAsync($"/api/tokens/{gone["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        // Pruned, so the store has never heard of it (sessions, which expire later, stay).
        await _factory.GetService<Stores.ITokenStore>().PruneAsync(DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);

        using var someoneElses = await stranger.PostAsJsonAsync("/api/tokens/revoke", new { token = theirs });
        using var unknown = await stranger.PostAsJsonAsync("/api/tokens/revoke", new { token = wellFormedButUnknown });
        using var garbage = await stranger.PostAsJsonAsync("/api/tokens/revoke", new { token = "definitely-not-a-token" });
        using var typo = await stranger.PostAsJsonAsync("/api/tokens/revoke", new { token = theirs[..^1] + (theirs[^1] == 'a' ? 'b' : 'a') });

        var body = await ProblemAssert.ProblemAsync(someoneElses, HttpStatusCode.NotFound);
        await ProblemAssert.SameAnswerAsync(someoneElses, unknown);
        await ProblemAssert.SameAnswerAsync(someoneElses, garbage);
        await ProblemAssert.SameAnswerAsync(someoneElses, typo);
        Assert.DoesNotContain(theirs, body.ToJsonString());

        using var still = await _factory.CreateClient(theirs).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Revoking_by_value_needs_the_api_scope()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var target = (await client.CreateTokenAsync(new { name = "target", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        var reader = (await client.CreateTokenAsync(new { name = "reader", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();

        using var response = await _factory.CreateClient(reader).PostAsJsonAsync("/api/tokens/revoke", new { token = target });
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        using var still = await _factory.CreateClient(target).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Revoking_a_rotated_away_token_by_id_leaves_its_successor_working()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var first = await client.CreateTokenAsync(new { name = "chain", scopes = new[] { "api" } });
        using var rotate = await client.PostAsync($"/api/tokens/{first["id"]}/rotate", null);
        var second = (await rotate.JsonAsync())!;

        using (var revokeOld = await client.DeleteAsync($"/api/tokens/{first["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revokeOld.StatusCode);
        }

        using (var current = await _factory.CreateClient(second["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        }
    }
}

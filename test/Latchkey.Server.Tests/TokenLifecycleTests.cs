using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests;

/// <summary>The story from the README: sign in, create a token, use it, rotate it, revoke it.</summary>
public sealed class TokenLifecycleTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _factory;

    public TokenLifecycleTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_token_works_until_it_is_rotated_and_its_successor_until_it_is_revoked()
    {
        var session = await _factory.CreateClient().SignInAsync();
        var admin = _factory.CreateClient().WithBearer(session);

        var created = await admin.CreateTokenAsync(new { name = "ci", scopes = new[] { "api" }, expires_at = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd") });
        var secret = created["token"]!.GetValue<string>();
        var id = created["id"]!.GetValue<long>();
        Assert.StartsWith("lk_", secret);

        var withToken = _factory.CreateClient().WithBearer(secret);
        using (var self = await withToken.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
            var body = await self.JsonAsync();
            Assert.Equal(id, body!["id"]!.GetValue<long>());
            Assert.Null(body["token"]);
        }

        using var rotate = await withToken.PostAsync($"/api/tokens/{id}/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = (await rotate.JsonAsync())!;
        var newSecret = rotated["token"]!.GetValue<string>();
        Assert.Equal("ci", rotated["name"]!.GetValue<string>());
        Assert.Equal(created["expires_at"]!.GetValue<string>()[..10], rotated["expires_at"]!.GetValue<string>()[..10]);

        var withNew = _factory.CreateClient().WithBearer(newSecret);
        using (var ok = await withNew.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var revoke = await withNew.DeleteAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var dead = await withNew.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, dead.StatusCode);
        }

        // Only this test's family: the administrator's other tests leave revoked tokens of their own.
        using var list = await admin.GetAsync("/api/tokens?revoked=true&search=ci");
        var listed = (await list.JsonAsync())!.AsArray();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, t => Assert.True(t!["revoked"]!.GetValue<bool>()));
        Assert.All(listed, t => Assert.Null(t!["token"]));
    }

    [Fact]
    public async Task Using_a_rotated_away_token_is_refused_and_its_successor_keeps_working()
    {
        var admin = _factory.CreateClient().WithBearer(await _factory.CreateClient().SignInAsync());
        var created = await admin.CreateTokenAsync(new { name = "leaky", scopes = new[] { "api" } });
        using var rotate = await admin.PostAsync($"/api/tokens/{created["id"]}/rotate", null);
        var successor = (await rotate.JsonAsync())!["token"]!.GetValue<string>();

        using (var old = await _factory.CreateClient().WithBearer(created["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
            Assert.Contains("error=\"invalid_token\"", old.Headers.WwwAuthenticate.ToString());
        }

        // A stale copy sent to an ordinary endpoint is only refused (reuse detection is for rotate endpoints).
        using var current = await _factory.CreateClient().WithBearer(successor).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_credential_get_a_bearer_challenge_and_problem_details()
    {
        using var response = await _factory.CreateClient().GetAsync("/api/tokens");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_read_only_token_gets_insufficient_scope_naming_api_when_it_writes()
    {
        var admin = _factory.CreateClient().WithBearer(await _factory.CreateClient().SignInAsync());
        var created = await admin.CreateTokenAsync(new { name = "reader", scopes = new[] { "read_api" } });
        var reader = _factory.CreateClient().WithBearer(created["token"]!.GetValue<string>());

        using (var read = await reader.GetAsync("/api/tokens"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var write = await reader.PostAsJsonAsync("/api/tokens", new { name = "x", scopes = new[] { "read_api" } });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"api\"", write.Headers.WwwAuthenticate.ToString());
        Assert.Equal("api", (await write.JsonAsync())!["scope"]!.GetValue<string>());
    }
}

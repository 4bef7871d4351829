using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>Show, rotate and revoke under <c>/api/v4/personal_access_tokens</c>, by id and as <c>self</c>.</summary>
public sealed class GitLabTokenLifecycleTests : IClassFixture<GitLabServerFactory>
{
    private const string NotFound = """{"message":"404 Personal Access Token Not Found"}""";
    private const string Unauthorized = """{"message":"401 Unauthorized"}""";
    private readonly GitLabServerFactory _factory;

    public GitLabTokenLifecycleTests(GitLabServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Showing_a_token_includes_when_and_from_where_it_was_last_used()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var created = await GitLabArrange.CreateOwnAsync(client, new { name = "used", scopes = new[] { "k8s_proxy" } });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v4/personal_access_tokens/self");
        request.Headers.Add("PRIVATE-TOKEN", created["token"]!.GetValue<string>());
        request.Headers.Add(ClientAddressStartupFilter.HeaderName, "198.51.100.7");
        using (var use = await _factory.CreateClient().SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, use.StatusCode);
        }

        var shown = (await client.GetFromJsonAsync<JsonObject>($"/api/v4/personal_access_tokens/{created["id"]}"))!;

        GitLabArrange.AssertFields(shown, "id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at", "active", "expires_at", "last_used_ips");
        Assert.Equal(["198.51.100.7"], shown["last_used_ips"]!.AsArray().Select(ip => ip!.GetValue<string>()));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", shown["last_used_at"]!.GetValue<string>());
        Assert.Null(shown["token"]);
    }

    [Fact]
    public async Task Self_is_the_token_making_the_request()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);

        var self = (await GitLabArrange.Client(_factory, token).GetFromJsonAsync<JsonObject>("/api/v4/personal_access_tokens/self"))!;

        Assert.Equal("setup", self["name"]!.GetValue<string>());
        Assert.Equal(userId, self["user_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Another_users_token_answers_exactly_as_a_token_that_does_not_exist()
    {
        var (_, alice) = await GitLabArrange.UserAsync(_factory);
        var (_, bob) = await GitLabArrange.UserAsync(_factory);
        var bobs = (await GitLabArrange.Client(_factory, bob).GetFromJsonAsync<JsonObject>("/api/v4/personal_access_tokens/self"))!["id"]!.GetValue<long>();
        var client = GitLabArrange.Client(_factory, alice);

        foreach (var id in new[] { bobs, 987654L })
        {
            using (var show = await client.GetAsync($"/api/v4/personal_access_tokens/{id}"))
            {
                await GitLabArrange.AssertAnswerAsync(show, HttpStatusCode.NotFound, NotFound);
            }

            using (var rotate = await client.PostAsync($"/api/v4/personal_access_tokens/{id}/rotate", null))
            {
                await GitLabArrange.AssertAnswerAsync(rotate, HttpStatusCode.NotFound, NotFound);
            }

            using var revoke = await client.DeleteAsync($"/api/v4/personal_access_tokens/{id}");
            await GitLabArrange.AssertAnswerAsync(revoke, HttpStatusCode.NotFound, NotFound);
        }

        // Bob's token survived Alice's attempts.
        using var stillBobs = await GitLabArrange.Client(_factory, bob).GetAsync("/api/v4/personal_access_tokens/self");
        Assert.Equal(HttpStatusCode.OK, stillBobs.StatusCode);
    }

    [Fact]
    public async Task Rotating_revokes_the_old_token_and_the_new_one_lives_a_week_by_default()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        var old = await GitLabArrange.CreateForAsync(admin, userId, new { name = "ci", description = "builds", scopes = new[] { "read_api" } });

        using var response = await GitLabArrange.Client(_factory, token).PostAsync($"/api/v4/personal_access_tokens/{old["id"]}/rotate", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var rotated = (await response.JsonAsync())!.AsObject();
        GitLabArrange.AssertFields(rotated, "id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at", "active", "expires_at", "last_used_ips", "token");
        Assert.NotEqual(old["id"]!.GetValue<long>(), rotated["id"]!.GetValue<long>());
        Assert.Equal("ci", rotated["name"]!.GetValue<string>());
        Assert.Equal("builds", rotated["description"]!.GetValue<string>());
        Assert.Equal(["read_api"], rotated["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains(rotated["expires_at"]!.GetValue<string>(), new[] { GitLabArrange.DaysFromToday(7), GitLabArrange.DaysFromToday(8) });

        using (var newUse = await GitLabArrange.Client(_factory, rotated["token"]!.GetValue<string>()).GetAsync("/api/v4/personal_access_tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, newUse.StatusCode);
        }

        using var oldUse = await GitLabArrange.Client(_factory, old["token"]!.GetValue<string>()).GetAsync("/api/v4/personal_access_tokens/self");
        await GitLabArrange.AssertAnswerAsync(oldUse, HttpStatusCode.Unauthorized, Unauthorized);
    }

    [Fact]
    public async Task Rotation_takes_an_optional_expiry_under_the_same_limits()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var first = await GitLabArrange.CreateOwnAsync(client, new { name = "r", scopes = new[] { "k8s_proxy" } });
        var second = await GitLabArrange.CreateOwnAsync(client, new { name = "r2", scopes = new[] { "k8s_proxy" } });

        using (var ok = await client.PostAsJsonAsync($"/api/v4/personal_access_tokens/{first["id"]}/rotate", new { expires_at = GitLabArrange.DaysFromToday(3) }))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(GitLabArrange.DaysFromToday(3), (await ok.JsonAsync())!["expires_at"]!.GetValue<string>());
        }

        using (var tooLong = await client.PostAsync($"/api/v4/personal_access_tokens/{second["id"]}/rotate", GitLabArrange.Form(("expires_at", GitLabArrange.DaysFromToday(900)))))
        {
            await GitLabArrange.AssertAnswerAsync(tooLong, HttpStatusCode.BadRequest, $$"""{"message":"400 Bad request - Expiration date must be before {{GitLabArrange.DaysFromToday(365)}}"}""");
        }

        using var badDate = await client.PostAsJsonAsync($"/api/v4/personal_access_tokens/{second["id"]}/rotate", new { expires_at = "soon" });
        await GitLabArrange.AssertAnswerAsync(badDate, HttpStatusCode.BadRequest, """{"error":"expires_at is invalid"}""");

        // A refused rotation leaves the token working.
        using var stillThere = await GitLabArrange.Client(_factory, second["token"]!.GetValue<string>()).GetAsync("/api/v4/personal_access_tokens/self");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task Rotating_a_revoked_token_is_a_bad_request()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var created = await GitLabArrange.CreateOwnAsync(client, new { name = "dead", scopes = new[] { "k8s_proxy" } });
        using (var revoke = await client.DeleteAsync($"/api/v4/personal_access_tokens/{created["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var rotate = await client.PostAsync($"/api/v4/personal_access_tokens/{created["id"]}/rotate", null);

        await GitLabArrange.AssertAnswerAsync(rotate, HttpStatusCode.BadRequest, """{"message":"400 Bad request - token already revoked"}""");
    }

    [Fact]
    public async Task Rotating_a_rotated_away_token_again_answers_409_and_its_successor_keeps_working()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var created = await GitLabArrange.CreateOwnAsync(client, new { name = "family", scopes = new[] { "k8s_proxy" } });
        using var first = await client.PostAsync($"/api/v4/personal_access_tokens/{created["id"]}/rotate", null);
        var successor = (await first.JsonAsync())!["token"]!.GetValue<string>();

        using var again = await client.PostAsync($"/api/v4/personal_access_tokens/{created["id"]}/rotate", null);

        await GitLabArrange.AssertAnswerAsync(again, HttpStatusCode.Conflict, """{"message":"409 Conflict - token already rotated"}""");
        using var successorUse = await GitLabArrange.Client(_factory, successor).GetAsync("/api/v4/personal_access_tokens/self");
        Assert.Equal(HttpStatusCode.OK, successorUse.StatusCode);
    }

    [Theory]
    [InlineData("/api/v4/personal_access_tokens/self/rotate")]
    [InlineData("/api/v4/personal_access_tokens/{id}/rotate")]
    public async Task A_rotated_away_token_presented_to_a_rotate_endpoint_revokes_its_family_in_gitlabs_shape(string path)
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory, "api");
        var client = GitLabArrange.Client(_factory, token);
        var created = await GitLabArrange.CreateOwnAsync(client, new { name = "family", scopes = new[] { "self_rotate" } });
        using var first = await client.PostAsync($"/api/v4/personal_access_tokens/{created["id"]}/rotate", null);
        var successor = (await first.JsonAsync())!["token"]!.GetValue<string>();
        var stale = GitLabArrange.Client(_factory, created["token"]!.GetValue<string>());

        // Anywhere else the stale secret is only refused…
        using (var elsewhere = await stale.GetAsync("/api/v4/personal_access_tokens/self"))
        {
            await GitLabArrange.AssertAnswerAsync(elsewhere, HttpStatusCode.Unauthorized, Unauthorized);
        }

        using (var stillWorks = await GitLabArrange.Client(_factory, successor).GetAsync("/api/v4/personal_access_tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        }

        // …but presented to rotate, it was rotated by another credential: a reuse.
        using (var reuse = await stale.PostAsync(path.Replace("{id}", created["id"]!.ToString(), StringComparison.Ordinal), null))
        {
            await GitLabArrange.AssertAnswerAsync(reuse, HttpStatusCode.Unauthorized, Unauthorized);
        }

        using var successorUse = await GitLabArrange.Client(_factory, successor).GetAsync("/api/v4/personal_access_tokens/self");
        await GitLabArrange.AssertAnswerAsync(successorUse, HttpStatusCode.Unauthorized, Unauthorized);
    }

    [Fact]
    public async Task A_token_that_rotated_itself_and_retries_gets_409_in_gitlabs_shape_and_keeps_its_successor()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var created = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "agent", scopes = new[] { "self_rotate" } });
        var self = GitLabArrange.Client(_factory, created["token"]!.GetValue<string>());
        using var first = await self.PostAsync("/api/v4/personal_access_tokens/self/rotate", null);
        var successor = (await first.JsonAsync())!["token"]!.GetValue<string>();

        using var retry = await self.PostAsync("/api/v4/personal_access_tokens/self/rotate", null);

        await GitLabArrange.AssertAnswerAsync(retry, HttpStatusCode.Conflict, """{"message":"409 Conflict - token already rotated"}""");
        using var successorUse = await GitLabArrange.Client(_factory, successor).GetAsync("/api/v4/personal_access_tokens/self");
        Assert.Equal(HttpStatusCode.OK, successorUse.StatusCode);
    }

    [Fact]
    public async Task A_token_with_self_rotate_rotates_itself()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var created = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "agent", scopes = new[] { "k8s_proxy", "self_rotate" } });
        var self = GitLabArrange.Client(_factory, created["token"]!.GetValue<string>());

        using var response = await self.PostAsync("/api/v4/personal_access_tokens/self/rotate", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = (await response.JsonAsync())!;
        Assert.Equal(["k8s_proxy", "self_rotate"], rotated["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        using var old = await self.GetAsync("/api/v4/personal_access_tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task Revoking_answers_204_also_for_a_token_already_revoked_and_the_token_dies_at_once()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var created = await GitLabArrange.CreateOwnAsync(client, new { name = "bye", scopes = new[] { "k8s_proxy" } });
        var victim = GitLabArrange.Client(_factory, created["token"]!.GetValue<string>());
        using (var alive = await victim.GetAsync("/api/v4/personal_access_tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        using (var first = await client.DeleteAsync($"/api/v4/personal_access_tokens/{created["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using (var second = await client.DeleteAsync($"/api/v4/personal_access_tokens/{created["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        }

        using var dead = await victim.GetAsync("/api/v4/personal_access_tokens/self");
        await GitLabArrange.AssertAnswerAsync(dead, HttpStatusCode.Unauthorized, Unauthorized);
    }

    [Fact]
    public async Task Any_token_may_revoke_itself()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var created = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "self", scopes = new[] { "k8s_proxy" } });
        var self = GitLabArrange.Client(_factory, created["token"]!.GetValue<string>());

        using (var revoke = await self.DeleteAsync("/api/v4/personal_access_tokens/self"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var after = await self.GetAsync("/api/v4/personal_access_tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_revoke_through_the_native_api_kills_a_gitlab_token_and_the_other_way_round()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var gitlab = GitLabArrange.Client(_factory, token);
        var native = _factory.CreateClient().WithBearer(token);
        var viaGitLab = await GitLabArrange.CreateOwnAsync(gitlab, new { name = "g", scopes = new[] { "k8s_proxy" } });
        var viaNative = await native.CreateTokenAsync(new { name = "n", scopes = new[] { "read_api" } });

        using (var nativeRevoke = await native.DeleteAsync($"/api/tokens/{viaGitLab["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, nativeRevoke.StatusCode);
        }

        using (var gitlabRevoke = await gitlab.DeleteAsync($"/api/v4/personal_access_tokens/{viaNative["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, gitlabRevoke.StatusCode);
        }

        using (var deadInGitLab = await GitLabArrange.Client(_factory, viaGitLab["token"]!.GetValue<string>()).GetAsync("/api/v4/personal_access_tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, deadInGitLab.StatusCode);
        }

        using (var deadInNative = await _factory.CreateClient().WithBearer(viaNative["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, deadInNative.StatusCode);
        }

        var shown = (await native.GetFromJsonAsync<JsonObject>($"/api/tokens/{viaNative["id"]}"))!;
        Assert.True(shown["revoked"]!.GetValue<bool>());
        var listed = (await gitlab.GetFromJsonAsync<JsonObject>($"/api/v4/personal_access_tokens/{viaGitLab["id"]}"))!;
        Assert.True(listed["revoked"]!.GetValue<bool>());
        Assert.False(listed["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_sign_in_session_is_not_a_personal_access_token_to_the_self_endpoints()
    {
        var session = GitLabArrange.Client(_factory, await _factory.CreateClient().SignInAsync());

        using (var show = await session.GetAsync("/api/v4/personal_access_tokens/self"))
        {
            await GitLabArrange.AssertAnswerAsync(show, HttpStatusCode.BadRequest, """{"message":"400 Bad request - This endpoint requires token type to be a personal access token"}""");
        }

        using (var rotate = await session.PostAsync("/api/v4/personal_access_tokens/self/rotate", null))
        {
            await GitLabArrange.AssertAnswerAsync(rotate, HttpStatusCode.MethodNotAllowed, """{"message":"405 Method Not Allowed"}""");
        }

        using (var revoke = await session.DeleteAsync("/api/v4/personal_access_tokens/self"))
        {
            await GitLabArrange.AssertAnswerAsync(revoke, HttpStatusCode.BadRequest, """{"message":"400 Bad request - This endpoint requires token type to be a personal access token"}""");
        }

        // The session was not revoked by the refused call.
        using var stillSignedIn = await session.GetAsync("/api/v4/user");
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Users;

/// <summary>
/// <c>GET/PATCH/DELETE /api/users/{id}</c>, block and unblock, revoking all of a user's tokens and
/// <c>PUT /api/user/password</c>, judged by what the user's own tokens and sessions do on the very next request.
/// </summary>
public sealed class UserManagementTests : IClassFixture<LatchkeyServerFactory>
{
    private const string NewPassword = "a-brand-new-passphrase";

    private readonly LatchkeyServerFactory _factory;

    public UserManagementTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Blocking_a_user_stops_their_token_and_session_on_the_next_request_and_unblocking_brings_the_token_back()
    {
        var user = await _factory.CreateUserAsync();
        var pat = await PatAsync(user);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(pat, "/api/tokens/self"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(user.Session, "/api/user"));
        var admin = await _factory.CreateAdminClientAsync();

        using (var block = await admin.PostAsync($"/api/users/{user.Id}/block", null))
        {
            Assert.Equal(HttpStatusCode.OK, block.StatusCode);
            Assert.Equal("blocked", (await block.JsonAsync())!["state"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(pat, "/api/tokens/self"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(user.Session, "/api/user"));
        using (var signIn = await _factory.CreateClient().PostAsJsonAsync("/api/session", new { username = user.Username, password = user.Password }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        }

        using (var unblock = await admin.PostAsync($"/api/users/{user.Id}/unblock", null))
        {
            Assert.Equal(HttpStatusCode.OK, unblock.StatusCode);
            Assert.Equal("active", (await unblock.JsonAsync())!["state"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(pat, "/api/tokens/self"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(user.Session, "/api/user"));
        await _factory.CreateClient().SignInAsync(user.Username, user.Password);
    }

    [Fact]
    public async Task Deleting_a_user_refuses_their_tokens_frees_the_username_and_keeps_the_audit_log()
    {
        var user = await _factory.CreateUserAsync();
        var pat = await PatAsync(user);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(pat, "/api/tokens/self"));
        var admin = await _factory.CreateAdminClientAsync();

        using (var delete = await admin.DeleteAsync($"/api/users/{user.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(pat, "/api/tokens/self"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(user.Session, "/api/user"));
        await ProblemAssert.ProblemAsync(await admin.GetAsync($"/api/users/{user.Id}"), HttpStatusCode.NotFound);
        await ProblemAssert.ProblemAsync(await admin.DeleteAsync($"/api/users/{user.Id}"), HttpStatusCode.NotFound);

        var audit = (await (await admin.GetAsync("/api/audit?per_page=100")).JsonAsync())!.AsArray();
        var deleted = Assert.Single(audit, e => e!["action"]!.GetValue<string>() == "user.deleted" && e["subject_user_id"]?.GetValue<long>() == user.Id);
        Assert.Equal($"username={user.Username}", deleted!["details"]!.GetValue<string>());
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "user.created" && e["subject_user_id"]?.GetValue<long>() == user.Id);

        var again = await _factory.CreateUserAsync(user.Username);
        Assert.True(again.Id > user.Id);
    }

    [Fact]
    public async Task Changing_your_password_ends_your_other_sessions_but_not_this_one_or_your_tokens()
    {
        var user = await _factory.CreateUserAsync();
        var otherSession = await _factory.CreateClient().SignInAsync(user.Username, user.Password);
        var pat = await PatAsync(user);

        using (var change = await _factory.CreateClient(user).PutAsJsonAsync("/api/user/password", new { current_password = user.Password, new_password = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(user.Session, "/api/user"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(otherSession, "/api/user"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(pat, "/api/tokens/self"));
        using (var old = await _factory.CreateClient().PostAsJsonAsync("/api/session", new { username = user.Username, password = user.Password }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        await _factory.CreateClient().SignInAsync(user.Username, NewPassword);
    }

    [Fact]
    public async Task A_password_change_needs_the_current_password_and_an_acceptable_new_one()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);

        await ProblemAssert.ValidationAsync(await client.PutAsJsonAsync("/api/user/password", new { current_password = "not-my-password", new_password = NewPassword }), "current_password");
        await ProblemAssert.ValidationAsync(await client.PutAsJsonAsync("/api/user/password", new { new_password = NewPassword }), "current_password");
        await ProblemAssert.ValidationAsync(await client.PutAsJsonAsync("/api/user/password", new { current_password = user.Password, new_password = "short" }), "new_password");
        await ProblemAssert.ValidationAsync(await client.SendRawAsync(HttpMethod.Put, "/api/user/password", $$"""{"current_password":"{{user.Password}}","new_password":5}"""), "new_password");
        await ProblemAssert.ProblemAsync(await client.SendRawAsync(HttpMethod.Put, "/api/user/password", "new_password=x", "text/plain"), HttpStatusCode.UnsupportedMediaType);

        // Nothing was changed by any of them.
        await _factory.CreateClient().SignInAsync(user.Username, user.Password);
    }

    [Fact]
    public async Task Guessing_the_current_password_is_limited_like_signing_in()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        var guess = new { current_password = "a-wrong-guess-here", new_password = NewPassword };
        for (var i = 0; i < 10; i++)
        {
            await ProblemAssert.ValidationAsync(await client.PutAsJsonAsync("/api/user/password", guess), "current_password");
        }

        using var limited = await client.PutAsJsonAsync("/api/user/password", new { current_password = user.Password, new_password = NewPassword });

        await ProblemAssert.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        using var signIn = await _factory.CreateClient().PostAsJsonAsync("/api/session", new { username = user.Username, password = user.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, signIn.StatusCode);
    }

    [Fact]
    public async Task A_read_only_token_cannot_change_the_password()
    {
        var user = await _factory.CreateUserAsync();
        var reader = await PatAsync(user, "read_user");

        using var change = await _factory.CreateClient(reader).PutAsJsonAsync("/api/user/password", new { current_password = user.Password, new_password = NewPassword });

        await ProblemAssert.ProblemAsync(change, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_administrator_resets_a_password_which_ends_all_of_that_users_sessions()
    {
        var user = await _factory.CreateUserAsync();
        var pat = await PatAsync(user);
        var admin = await _factory.CreateAdminClientAsync();

        using (var reset = await admin.PatchAsJsonAsync($"/api/users/{user.Id}", new { password = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
            Assert.DoesNotContain(NewPassword, await reset.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(user.Session, "/api/user"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(pat, "/api/tokens/self"));
        await _factory.CreateClient().SignInAsync(user.Username, NewPassword);
        await ProblemAssert.ValidationAsync(await admin.PatchAsJsonAsync($"/api/users/{user.Id}", new { password = "short" }), "password");
    }

    [Fact]
    public async Task Revoking_all_of_a_users_tokens_refuses_each_of_them_and_leaves_their_session()
    {
        var user = await _factory.CreateUserAsync();
        var first = await PatAsync(user);
        var second = await PatAsync(user, "read_api");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(first, "/api/tokens/self"));
        var admin = await _factory.CreateAdminClientAsync();

        using (var revoke = await admin.DeleteAsync($"/api/users/{user.Id}/tokens"))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            Assert.Equal(2, (await revoke.JsonAsync())!["revoked"]!.GetValue<int>());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(first, "/api/tokens/self"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(second, "/api/tokens/self"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(user.Session, "/api/user"));
    }

    [Fact]
    public async Task A_non_administrator_sees_and_changes_only_their_own_user_and_other_ids_are_not_found()
    {
        var user = await _factory.CreateUserAsync();
        var other = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);

        using (var own = await client.GetAsync($"/api/users/{user.Id}"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Equal(user.Username, (await own.JsonAsync())!["username"]!.GetValue<string>());
        }

        var someoneElse = await ProblemAssert.ProblemAsync(await client.GetAsync($"/api/users/{other.Id}"), HttpStatusCode.NotFound);
        var nobody = await ProblemAssert.ProblemAsync(await client.GetAsync("/api/users/999999999"), HttpStatusCode.NotFound);
        Assert.Equal(ProblemAssert.Comparable(nobody), ProblemAssert.Comparable(someoneElse));
        await ProblemAssert.ProblemAsync(await client.PatchAsJsonAsync($"/api/users/{other.Id}", new { name = "Mallory" }), HttpStatusCode.NotFound);
        await ProblemAssert.ProblemAsync(await client.PostAsync($"/api/users/{other.Id}/block", null), HttpStatusCode.Forbidden);
        await ProblemAssert.ProblemAsync(await client.DeleteAsync($"/api/users/{other.Id}"), HttpStatusCode.Forbidden);
        await ProblemAssert.ProblemAsync(await client.DeleteAsync($"/api/users/{other.Id}/tokens"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(other.Session, "/api/user"));
    }

    [Fact]
    public async Task A_user_changes_their_own_name_and_email_but_not_whether_they_are_an_administrator()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);

        using (var renamed = await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "Grace Hopper", email = (string?)null }))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
            var body = (await renamed.JsonAsync())!;
            Assert.Equal("Grace Hopper", body["name"]!.GetValue<string>());
            Assert.Null(body["email"]);
            Assert.Equal(user.Username, body["username"]!.GetValue<string>());
        }

        await ProblemAssert.ProblemAsync(await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { is_admin = true }), HttpStatusCode.Forbidden);
        await ProblemAssert.ValidationAsync(await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { email = "not-an-address" }), "email");
        await ProblemAssert.ValidationAsync(await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = new string('n', 256) }), "name");
        await ProblemAssert.ValidationAsync(await client.SendRawAsync(HttpMethod.Patch, $"/api/users/{user.Id}", """{"name":5}"""), "name");
        await ProblemAssert.ValidationAsync(await client.SendRawAsync(HttpMethod.Patch, $"/api/users/{user.Id}", """{"is_admin":"yes"}"""), "is_admin");
        await ProblemAssert.ProblemAsync(await client.SendRawAsync(HttpMethod.Patch, $"/api/users/{user.Id}", """{"name":"""), HttpStatusCode.BadRequest);

        using var after = await client.GetAsync($"/api/users/{user.Id}");
        var unchanged = (await after.JsonAsync())!;
        Assert.Equal("Grace Hopper", unchanged["name"]!.GetValue<string>());
        Assert.False(unchanged["is_admin"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_administrator_cannot_block_delete_or_demote_themselves()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var adminId = (await (await admin.GetAsync("/api/user")).JsonAsync())!["id"]!.GetValue<long>();

        await ProblemAssert.ProblemAsync(await admin.PostAsync($"/api/users/{adminId}/block", null), HttpStatusCode.Conflict);
        await ProblemAssert.ProblemAsync(await admin.DeleteAsync($"/api/users/{adminId}"), HttpStatusCode.Conflict);
        await ProblemAssert.ProblemAsync(await admin.PatchAsJsonAsync($"/api/users/{adminId}", new { is_admin = false }), HttpStatusCode.Conflict);

        using var me = await admin.GetAsync("/api/user");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.True((await me.JsonAsync())!["is_admin"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_administrator_promotes_and_demotes_another_user_whose_token_follows_on_the_next_request()
    {
        var user = await _factory.CreateUserAsync();
        var admin = await _factory.CreateAdminClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(user.Session, "/api/users"));

        using (var promote = await admin.PatchAsJsonAsync($"/api/users/{user.Id}", new { is_admin = true }))
        {
            Assert.True((await promote.JsonAsync())!["is_admin"]!.GetValue<bool>());
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(user.Session, "/api/users"));

        using (var demote = await admin.PatchAsJsonAsync($"/api/users/{user.Id}", new { is_admin = false }))
        {
            Assert.False((await demote.JsonAsync())!["is_admin"]!.GetValue<bool>());
        }

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(user.Session, "/api/users"));
    }

    [Fact]
    public async Task Changing_other_users_with_a_plain_api_token_needs_admin_mode()
    {
        var user = await _factory.CreateUserAsync();
        var admin = await _factory.CreateAdminClientAsync();
        var apiOnly = (await admin.CreateTokenAsync(new { name = $"api-{Guid.NewGuid():N}", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        var client = _factory.CreateClient(apiOnly);

        await ProblemAssert.ProblemAsync(await client.PostAsync($"/api/users/{user.Id}/block", null), HttpStatusCode.Forbidden);
        await ProblemAssert.ProblemAsync(await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { is_admin = true }), HttpStatusCode.Forbidden);
        await ProblemAssert.ProblemAsync(await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { password = NewPassword }), HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(user.Session, "/api/user"));
        await _factory.CreateClient().SignInAsync(user.Username, user.Password);
    }

    private async Task<string> PatAsync(TestUser user, string scope = "api")
        => (await _factory.CreateClient(user).CreateTokenAsync(new { name = $"t-{Guid.NewGuid():N}", scopes = new[] { scope } }))["token"]!.GetValue<string>();

    private async Task<HttpStatusCode> StatusAsync(string token, string url)
    {
        using var response = await _factory.CreateClient(token).GetAsync(url);
        return response.StatusCode;
    }
}

using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary><c>POST /api/v4/users/:user_id/personal_access_tokens</c>: administrators create tokens for anyone.</summary>
[Collection(GitLabServer.Name)]
public sealed class GitLabAdminTokenTests
{
    private readonly LatchkeyServerFactory _factory;

    public GitLabAdminTokenTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task An_administrator_creates_a_token_with_any_scopes_a_description_and_an_expiry_for_a_user()
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        var (userId, _) = await GitLabArrange.UserAsync(_factory);
        var expires = GitLabArrange.DaysFromToday(60);

        using var response = await admin.PostAsync($"/api/v4/users/{userId}/personal_access_tokens", GitLabArrange.Form(
            ("name", "deploy"), ("description", "CI deploys"), ("expires_at", expires), ("scopes[]", "read_api"), ("scopes[]", "write_repository")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = (await response.JsonAsync())!.AsObject();
        GitLabArrange.AssertFields(body, "id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at", "active", "expires_at", "last_used_ips", "token");
        Assert.Equal(userId, body["user_id"]!.GetValue<long>());
        Assert.Equal("CI deploys", body["description"]!.GetValue<string>());
        Assert.Equal(["read_api", "write_repository"], body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(expires, body["expires_at"]!.GetValue<string>());
        Assert.Null(body["last_used_at"]);

        // The token belongs to the user: it authenticates as them.
        var asUser = GitLabArrange.Client(_factory, body["token"]!.GetValue<string>());
        var me = (await asUser.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v4/user"))!;
        Assert.Equal(userId, me["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Without_expires_at_the_token_gets_the_maximum_allowable_lifetime()
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        var (userId, _) = await GitLabArrange.UserAsync(_factory);

        var created = await GitLabArrange.CreateForAsync(admin, userId, new { name = "long", scopes = new[] { "api" } });

        Assert.Contains(created["expires_at"]!.GetValue<string>(), new[] { GitLabArrange.DaysFromToday(365), GitLabArrange.DaysFromToday(366) });
    }

    [Fact]
    public async Task An_expiry_beyond_the_maximum_lifetime_is_refused()
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        var (userId, _) = await GitLabArrange.UserAsync(_factory);

        using var response = await admin.PostAsJsonAsync($"/api/v4/users/{userId}/personal_access_tokens", new { name = "x", scopes = new[] { "api" }, expires_at = GitLabArrange.DaysFromToday(400) });

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.BadRequest, $$"""{"message":"Expiration date must be before {{GitLabArrange.DaysFromToday(365)}}"}""");
    }

    [Theory]
    [InlineData("*")]
    [InlineData("delete_everything")]
    public async Task Scopes_gitlab_does_not_have_are_refused(string scope)
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        var (userId, _) = await GitLabArrange.UserAsync(_factory);

        using var response = await admin.PostAsJsonAsync($"/api/v4/users/{userId}/personal_access_tokens", new { name = "x", scopes = new[] { "api", scope } });

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.BadRequest, """{"error":"scopes does not have a valid value"}""");
    }

    [Fact]
    public async Task A_user_that_does_not_exist_is_not_found()
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));

        using var response = await admin.PostAsJsonAsync("/api/v4/users/987654/personal_access_tokens", new { name = "x", scopes = new[] { "api" } });

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.NotFound, """{"message":"404 User Not Found"}""");
    }

    [Fact]
    public async Task A_non_administrator_is_forbidden_even_for_themselves()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using var response = await client.PostAsJsonAsync($"/api/v4/users/{userId}/personal_access_tokens", new { name = "x", scopes = new[] { "api" } });

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.Forbidden, """{"message":"403 Forbidden"}""");
    }

    [Fact]
    public async Task An_administrator_token_without_api_is_told_which_scope_is_missing()
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory, "read_api"));
        var (userId, _) = await GitLabArrange.UserAsync(_factory);

        using var response = await admin.PostAsJsonAsync($"/api/v4/users/{userId}/personal_access_tokens", new { name = "x", scopes = new[] { "read_api" } });

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.Forbidden, GitLabArrange.ScopeError("api"));
    }

    [Fact]
    public async Task Sudo_is_refused_rather_than_silently_ignored()
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        var (userId, _) = await GitLabArrange.UserAsync(_factory);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v4/user/personal_access_tokens") { Content = JsonContent.Create(new { name = "x", scopes = new[] { "k8s_proxy" } }) };
        request.Headers.Add("Sudo", userId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var response = await admin.SendAsync(request);

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.Forbidden, """{"message":"403 Forbidden - Sudo is not supported by this server"}""");
    }
}

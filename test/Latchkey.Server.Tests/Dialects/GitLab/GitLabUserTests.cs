using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary><c>GET /api/v4/user</c> and <c>/users/:id</c>: how GitLab clients learn who they are.</summary>
[Collection(GitLabServer.Name)]
public sealed class GitLabUserTests
{
    private readonly LatchkeyServerFactory _factory;

    public GitLabUserTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task The_current_user_is_described_with_gitlabs_fields()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory, "read_user");

        var me = (await GitLabArrange.Client(_factory, token).GetFromJsonAsync<JsonObject>("/api/v4/user"))!;

        Assert.Equal(userId, me["id"]!.GetValue<long>());
        var username = me["username"]!.GetValue<string>();
        Assert.StartsWith("user-", username);
        Assert.Equal("Test " + username, me["name"]!.GetValue<string>());
        Assert.Equal("active", me["state"]!.GetValue<string>());
        Assert.Equal($"http://localhost/{username}", me["web_url"]!.GetValue<string>());
        Assert.Equal($"{username}@example.com", me["email"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", me["created_at"]!.GetValue<string>());
        Assert.False(me.ContainsKey("is_admin"));
        Assert.False(me.ContainsKey("password_hash"));
    }

    [Fact]
    public async Task An_administrator_is_told_they_are_one()
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));

        var me = (await admin.GetFromJsonAsync<JsonObject>("/api/v4/user"))!;

        Assert.Equal("admin", me["username"]!.GetValue<string>());
        Assert.True(me["is_admin"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_user_can_look_up_themselves_and_an_administrator_anyone()
    {
        var (aliceId, alice) = await GitLabArrange.UserAsync(_factory);
        var (bobId, _) = await GitLabArrange.UserAsync(_factory);
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));

        var self = (await GitLabArrange.Client(_factory, alice).GetFromJsonAsync<JsonObject>($"/api/v4/users/{aliceId}"))!;
        var byAdmin = (await admin.GetFromJsonAsync<JsonObject>($"/api/v4/users/{bobId}"))!;

        Assert.Equal(aliceId, self["id"]!.GetValue<long>());
        Assert.False(self.ContainsKey("email"));
        Assert.Equal(bobId, byAdmin["id"]!.GetValue<long>());
        Assert.EndsWith("@example.com", byAdmin["email"]!.GetValue<string>());
        Assert.False(byAdmin["is_admin"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Another_user_answers_exactly_as_a_user_that_does_not_exist()
    {
        var (_, alice) = await GitLabArrange.UserAsync(_factory);
        var (bobId, _) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, alice);

        using var other = await client.GetAsync($"/api/v4/users/{bobId}");
        using var unknown = await client.GetAsync("/api/v4/users/987654");

        await GitLabArrange.AssertAnswerAsync(other, HttpStatusCode.NotFound, """{"message":"404 User Not Found"}""");
        await GitLabArrange.AssertAnswerAsync(unknown, HttpStatusCode.NotFound, """{"message":"404 User Not Found"}""");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary><c>GET /api/v4/personal_access_tokens</c>: GitLab's filters, sort and offset pagination.</summary>
[Collection(GitLabServer.Name)]
public sealed class GitLabTokenListTests
{
    private readonly LatchkeyServerFactory _factory;

    public GitLabTokenListTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Items_are_gitlabs_token_entity_without_any_secret()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        var items = (await client.GetFromJsonAsync<JsonArray>("/api/v4/personal_access_tokens"))!;

        var item = Assert.Single(items)!.AsObject();
        GitLabArrange.AssertFields(item, "id", "name", "revoked", "created_at", "description", "scopes", "user_id", "last_used_at", "active", "expires_at", "last_used_ips");
        Assert.Equal(userId, item["user_id"]!.GetValue<long>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", item["expires_at"]!.GetValue<string>());
        Assert.DoesNotContain(token, items.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_sees_only_their_own_tokens_and_an_administrator_sees_everyones()
    {
        var (aliceId, alice) = await GitLabArrange.UserAsync(_factory);
        var (bobId, _) = await GitLabArrange.UserAsync(_factory);
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));

        var own = (await GitLabArrange.Client(_factory, alice).GetFromJsonAsync<JsonArray>("/api/v4/personal_access_tokens?per_page=100"))!;
        var all = (await admin.GetFromJsonAsync<JsonArray>("/api/v4/personal_access_tokens?per_page=100"))!;
        var bobs = (await admin.GetFromJsonAsync<JsonArray>($"/api/v4/personal_access_tokens?user_id={bobId}"))!;

        Assert.All(own, t => Assert.Equal(aliceId, t!["user_id"]!.GetValue<long>()));
        Assert.Contains(all, t => t!["user_id"]!.GetValue<long>() == aliceId);
        Assert.Contains(all, t => t!["user_id"]!.GetValue<long>() == bobId);
        Assert.All(bobs, t => Assert.Equal(bobId, t!["user_id"]!.GetValue<long>()));
        Assert.NotEmpty(bobs);
    }

    [Fact]
    public async Task Another_users_id_answers_exactly_as_a_user_that_does_not_exist()
    {
        var (aliceId, alice) = await GitLabArrange.UserAsync(_factory);
        var (bobId, _) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, alice);

        using var other = await client.GetAsync($"/api/v4/personal_access_tokens?user_id={bobId}");
        using var unknown = await client.GetAsync("/api/v4/personal_access_tokens?user_id=987654");
        using var self = await client.GetAsync($"/api/v4/personal_access_tokens?user_id={aliceId}");

        await GitLabArrange.AssertAnswerAsync(other, HttpStatusCode.NotFound, """{"message":"404 Not Found"}""");
        await GitLabArrange.AssertAnswerAsync(unknown, HttpStatusCode.NotFound, """{"message":"404 Not Found"}""");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
    }

    [Fact]
    public async Task An_administrator_naming_a_user_that_does_not_exist_gets_404()
    {
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));

        using var response = await admin.GetAsync("/api/v4/personal_access_tokens?user_id=987654");

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.NotFound, """{"message":"404 Not Found"}""");
    }

    [Fact]
    public async Task State_revoked_and_search_filters_narrow_the_list()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        var keep = await GitLabArrange.CreateForAsync(admin, userId, new { name = "Deploy Keeper", scopes = new[] { "read_api" } });
        var gone = await GitLabArrange.CreateForAsync(admin, userId, new { name = "deploy gone", scopes = new[] { "read_api" } });
        using (var revoke = await client.DeleteAsync($"/api/v4/personal_access_tokens/{gone["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        Assert.Equal([keep["id"]!.GetValue<long>()], await IdsAsync(client, "search=DEPLOY&state=active"));
        Assert.Equal([gone["id"]!.GetValue<long>()], await IdsAsync(client, "search=deploy&state=inactive"));
        Assert.Equal([gone["id"]!.GetValue<long>()], await IdsAsync(client, "revoked=true"));
        Assert.DoesNotContain(gone["id"]!.GetValue<long>(), await IdsAsync(client, "revoked=false"));
    }

    [Fact]
    public async Task Date_filters_compare_creation_last_use_and_expiry()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        var soon = await GitLabArrange.CreateForAsync(admin, userId, new { name = "soon", scopes = new[] { "read_api" }, expires_at = GitLabArrange.DaysFromToday(5) });
        var later = await GitLabArrange.CreateForAsync(admin, userId, new { name = "later", scopes = new[] { "read_api" }, expires_at = GitLabArrange.DaysFromToday(50) });
        using (var use = await GitLabArrange.Client(_factory, later["token"]!.GetValue<string>()).GetAsync("/api/v4/personal_access_tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, use.StatusCode);
        }

        // Last use reaches the store in batches; the filters query the store.
        await _factory.GetService<TokenUsageRecorder>().FlushAsync(CancellationToken.None);
        var soonId = soon["id"]!.GetValue<long>();
        var laterId = later["id"]!.GetValue<long>();
        var expiresBetween = await IdsAsync(client, $"expires_after={GitLabArrange.DaysFromToday(1)}&expires_before={GitLabArrange.DaysFromToday(10)}");
        Assert.Equal([soonId], expiresBetween);
        var expiresLater = await IdsAsync(client, $"expires_after={GitLabArrange.DaysFromToday(10)}");
        Assert.Contains(laterId, expiresLater);
        Assert.DoesNotContain(soonId, expiresLater);
        Assert.Empty(await IdsAsync(client, "created_before=2000-01-01T00:00:00Z"));
        Assert.Contains(soonId, await IdsAsync(client, "created_after=2000-01-01T00:00:00"));
        Assert.Contains(laterId, await IdsAsync(client, $"last_used_after={GitLabArrange.Today}"));
        Assert.DoesNotContain(soonId, await IdsAsync(client, $"last_used_after={GitLabArrange.Today}"));
        Assert.Empty(await IdsAsync(client, $"last_used_before={GitLabArrange.Today}"));
        // Used today: "later", and the token making these very requests; never used: "soon".
        var usedBeforeTomorrow = await IdsAsync(client, $"last_used_before={GitLabArrange.DaysFromToday(1)}");
        Assert.Contains(laterId, usedBeforeTomorrow);
        Assert.DoesNotContain(soonId, usedBeforeTomorrow);
    }

    [Fact]
    public async Task Sorting_by_name_and_ignoring_an_order_gitlab_does_not_know()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        foreach (var name in new[] { "b", "c", "a" })
        {
            await GitLabArrange.CreateForAsync(admin, userId, new { name, scopes = new[] { "read_api" } });
        }

        Assert.Equal(["a", "b", "c", "setup"], await NamesAsync(client, "sort=name_asc"));
        Assert.Equal(["setup", "c", "b", "a"], await NamesAsync(client, "sort=name_desc"));

        // Without a sort, and with one GitLab ignores, the order is by id, oldest first.
        Assert.Equal(["setup", "b", "c", "a"], await NamesAsync(client, string.Empty));
        Assert.Equal(["setup", "b", "c", "a"], await NamesAsync(client, "sort=created_at_desc"));
    }

    [Fact]
    public async Task Pages_come_with_gitlabs_headers_and_links_that_never_carry_the_token()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var admin = GitLabArrange.Client(_factory, await GitLabArrange.AdminTokenAsync(_factory));
        for (var i = 0; i < 4; i++)
        {
            await GitLabArrange.CreateForAsync(admin, userId, new { name = $"page {i}", scopes = new[] { "read_api" } });
        }

        using var response = await _factory.CreateClient().GetAsync($"/api/v4/personal_access_tokens?private_token={token}&per_page=2&page=2&search=page");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.JsonAsync())!.AsArray().Count);
        Assert.Equal("4", Header(response, "X-Total"));
        Assert.Equal("2", Header(response, "X-Total-Pages"));
        Assert.Equal("2", Header(response, "X-Page"));
        Assert.Equal("2", Header(response, "X-Per-Page"));
        Assert.Equal(string.Empty, Header(response, "X-Next-Page"));
        Assert.Equal("1", Header(response, "X-Prev-Page"));
        var link = Header(response, "Link");
        Assert.Contains("rel=\"prev\"", link);
        Assert.Contains("rel=\"first\"", link);
        Assert.Contains("rel=\"last\"", link);
        Assert.DoesNotContain("rel=\"next\"", link);
        Assert.Contains("search=page", link);
        Assert.DoesNotContain(token, link, StringComparison.Ordinal);
        Assert.DoesNotContain("private_token", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Per_page_above_a_hundred_is_lowered_to_a_hundred()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);

        using var response = await GitLabArrange.Client(_factory, token).GetAsync("/api/v4/personal_access_tokens?per_page=1000");

        Assert.Equal("100", Header(response, "X-Per-Page"));
    }

    [Theory]
    [InlineData("state=expired", "state does not have a valid value")]
    [InlineData("revoked=maybe", "revoked is invalid")]
    [InlineData("created_before=yesterday", "created_before is invalid")]
    [InlineData("expires_after=2024-13-01", "expires_after is invalid")]
    [InlineData("user_id=me", "user_id is invalid")]
    [InlineData("page=0", "page is invalid")]
    [InlineData("per_page=x", "per_page is invalid")]
    public async Task Bad_filter_values_are_refused_as_grape_refuses_them(string query, string expected)
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);

        using var response = await GitLabArrange.Client(_factory, token).GetAsync($"/api/v4/personal_access_tokens?{query}");

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.BadRequest, new JsonObject { ["error"] = expected }.ToJsonString());
    }

    private static async Task<List<long>> IdsAsync(HttpClient client, string query)
        => (await client.GetFromJsonAsync<JsonArray>($"/api/v4/personal_access_tokens?{query}"))!.Select(t => t!["id"]!.GetValue<long>()).ToList();

    private static async Task<List<string>> NamesAsync(HttpClient client, string query)
        => (await client.GetFromJsonAsync<JsonArray>($"/api/v4/personal_access_tokens?{query}"))!.Select(t => t!["name"]!.GetValue<string>()).ToList();

    private static string Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"no {name} header");
}

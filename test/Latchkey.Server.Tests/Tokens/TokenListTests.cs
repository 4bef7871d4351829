using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using static Latchkey.Server.Tests.Infrastructure.Dates;

namespace Latchkey.Server.Tests.Tokens;

/// <summary><c>GET /api/tokens</c>: filters, sorting, GitLab's pagination headers, and whose tokens one may list.</summary>
public sealed class TokenListTests : IClassFixture<AdjustableClockServerFactory>
{
    private readonly AdjustableClockServerFactory _factory;

    public TokenListTests(AdjustableClockServerFactory factory) => _factory = factory;

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    private static async Task<(JsonArray Items, HttpResponseMessage Response)> ListAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/tokens{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"list answered {(int)response.StatusCode}: {text}");
        return (JsonNode.Parse(text)!.AsArray(), response);
    }

    private static string[] Names(JsonArray items) => items.Select(t => t!["name"]!.GetValue<string>()).ToArray();

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    [Fact]
    public async Task A_user_lists_only_their_own_tokens_without_secrets_newest_first()
    {
        var user = await _factory.CreateUserAsync();
        var other = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        var first = await client.CreateTokenAsync(new { name = "first", scopes = new[] { "api" } });
        var second = await client.CreateTokenAsync(new { name = "second", scopes = new[] { "read_api" } });
        await _factory.CreateClient(other).CreateTokenAsync(new { name = "not mine", scopes = new[] { "api" } });

        var (items, response) = await ListAsync(client);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal(["second", "first"], Names(items));
        Assert.All(items, t => Assert.False(t!.AsObject().ContainsKey("token")));
        Assert.DoesNotContain(first["token"]!.GetValue<string>(), raw);
        Assert.DoesNotContain(second["token"]!.GetValue<string>(), raw);
        Assert.DoesNotContain("hash", raw, StringComparison.OrdinalIgnoreCase);
        Assert.All(items, t => Assert.Equal(user.Id, t!["user_id"]!.GetValue<long>()));
        Assert.Equal(
            ["active", "created_at", "description", "expires_at", "id", "last_used_at", "last_used_ips", "name", "revoked", "scopes", "user_id"],
            items[0]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task Sessions_are_not_listed_as_tokens()
    {
        var user = await _factory.CreateUserAsync();
        var (items, _) = await ListAsync(_factory.CreateClient(user));
        Assert.Empty(items);
    }

    [Fact]
    public async Task Pages_carry_GitLabs_headers_and_links()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        for (var i = 1; i <= 5; i++)
        {
            await client.CreateTokenAsync(new { name = $"t{i}", scopes = new[] { "api" } });
        }

        var (page1, r1) = await ListAsync(client, "?sort=name_asc&per_page=2");
        Assert.Equal(["t1", "t2"], Names(page1));
        Assert.Equal("5", Header(r1, "X-Total"));
        Assert.Equal("3", Header(r1, "X-Total-Pages"));
        Assert.Equal("1", Header(r1, "X-Page"));
        Assert.Equal("2", Header(r1, "X-Per-Page"));
        Assert.Equal("2", Header(r1, "X-Next-Page"));
        Assert.Equal(string.Empty, Header(r1, "X-Prev-Page"));
        var links1 = Links(r1);
        Assert.Equal(["first", "last", "next"], links1.Keys.Order());
        Assert.Equal("/api/tokens?sort=name_asc&page=2&per_page=2", links1["next"]);
        Assert.Equal("/api/tokens?sort=name_asc&page=1&per_page=2", links1["first"]);
        Assert.Equal("/api/tokens?sort=name_asc&page=3&per_page=2", links1["last"]);

        var (page2, r2) = await ListAsync(client, "?sort=name_asc&per_page=2&page=2");
        Assert.Equal(["t3", "t4"], Names(page2));
        Assert.Equal("3", Header(r2, "X-Next-Page"));
        Assert.Equal("1", Header(r2, "X-Prev-Page"));
        Assert.Equal(["first", "last", "next", "prev"], Links(r2).Keys.Order());

        var (page3, r3) = await ListAsync(client, "?sort=name_asc&per_page=2&page=3");
        Assert.Equal(["t5"], Names(page3));
        Assert.Equal(string.Empty, Header(r3, "X-Next-Page"));
        Assert.Equal("2", Header(r3, "X-Prev-Page"));
        Assert.Equal(["first", "last", "prev"], Links(r3).Keys.Order());

        // Following the links walks the whole list.
        var seen = new List<string>();
        var url = "/api/tokens?sort=name_asc&per_page=2";
        while (url is not null)
        {
            var (items, response) = await ListAsync(client, url["/api/tokens".Length..]);
            seen.AddRange(Names(items));
            url = Links(response).GetValueOrDefault("next");
        }

        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], seen);
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_and_points_back()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        await client.CreateTokenAsync(new { name = "only", scopes = new[] { "api" } });

        var (items, response) = await ListAsync(client, "?page=9");
        Assert.Empty(items);
        Assert.Equal("9", Header(response, "X-Page"));
        Assert.Equal("1", Header(response, "X-Total"));
        Assert.Equal(string.Empty, Header(response, "X-Next-Page"));
        Assert.Equal("/api/tokens?page=1&per_page=20", Links(response)["last"]);
    }

    [Fact]
    public async Task An_empty_list_still_has_one_page()
    {
        var user = await _factory.CreateUserAsync();
        var (_, response) = await ListAsync(_factory.CreateClient(user));
        Assert.Equal("0", Header(response, "X-Total"));
        Assert.Equal("1", Header(response, "X-Total-Pages"));
        Assert.Equal("20", Header(response, "X-Per-Page"));
    }

    [Theory]
    [InlineData("?per_page=100", "100")]
    [InlineData("?per_page=101", "100")]
    [InlineData("?per_page=100000", "100")]
    [InlineData("?per_page=1", "1")]
    public async Task Per_page_is_capped_at_100(string query, string expected)
    {
        var admin = await _factory.CreateAdminClientAsync();
        var (_, response) = await ListAsync(admin, query);
        Assert.Equal(expected, Header(response, "X-Per-Page"));
    }

    [Fact]
    public async Task Links_never_carry_a_private_token_from_the_query_string()
    {
        var user = await _factory.CreateUserAsync();
        var token = (await _factory.CreateClient(user).CreateTokenAsync(new { name = "query", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();

        var (_, response) = await ListAsync(_factory.CreateClient(), $"?private_token={token}&search=query");
        var links = response.Headers.GetValues("Link").Single();
        Assert.DoesNotContain(token, links);
        Assert.DoesNotContain("private_token", links);
        Assert.Contains("search=query", links);
    }

    [Fact]
    public async Task Links_keep_the_other_filters_encoded()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        await client.CreateTokenAsync(new { name = "a b&c=d", scopes = new[] { "api" } });
        await client.CreateTokenAsync(new { name = "x a b&c=d y", scopes = new[] { "api" } });

        var (items, response) = await ListAsync(client, "?search=a%20b%26c%3Dd&state=active&per_page=1");
        Assert.Single(items);
        var next = Links(response)["next"];
        Assert.Equal("/api/tokens?search=a%20b%26c%3Dd&state=active&page=2&per_page=1", next);
        var (second, _) = await ListAsync(client, next["/api/tokens".Length..]);
        Assert.Single(second);
        Assert.NotEqual(Names(items), Names(second));
    }

    [Fact]
    public async Task State_and_revoked_filter_active_revoked_and_expired_tokens()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        var expiring = await client.CreateTokenAsync(new { name = "expiring", scopes = new[] { "api" }, expires_at = SecondsFromNow(_factory.Clock, 1) });
        await client.CreateTokenAsync(new { name = "live", scopes = new[] { "api" } });
        var revoked = await client.CreateTokenAsync(new { name = "revoked", scopes = new[] { "api" } });
        using (var revoke = await client.DeleteAsync($"/api/tokens/{revoked["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        _factory.Clock.AdvancePast(Instant(expiring["expires_at"]));

        Assert.Equal(["live"], Names((await ListAsync(client, "?state=active")).Items));
        Assert.Equal(["expiring", "revoked"], Names((await ListAsync(client, "?state=inactive&sort=name_asc")).Items));
        Assert.Equal(["revoked"], Names((await ListAsync(client, "?revoked=true")).Items));
        Assert.Equal(["expiring", "live"], Names((await ListAsync(client, "?revoked=false&sort=name_asc")).Items));
        Assert.Equal(["expiring"], Names((await ListAsync(client, "?state=inactive&revoked=false")).Items));

        var all = (await ListAsync(client, "?sort=name_asc")).Items;
        Assert.Equal(["expiring", "live", "revoked"], Names(all));
        Assert.Equal([false, true, false], all.Select(t => t!["active"]!.GetValue<bool>()));
        Assert.Equal([false, false, true], all.Select(t => t!["revoked"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Search_matches_part_of_the_name_ignoring_case_and_literally()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        foreach (var name in new[] { "Deploy prod", "deploy staging", "backup", "100% sure", "under_score", "Übung" })
        {
            await client.CreateTokenAsync(new { name, scopes = new[] { "api" } });
        }

        Assert.Equal(["Deploy prod", "deploy staging"], Names((await ListAsync(client, "?search=DEPLOY&sort=name_asc")).Items));
        Assert.Equal(["100% sure"], Names((await ListAsync(client, "?search=%25")).Items));
        Assert.Equal(["under_score"], Names((await ListAsync(client, "?search=_")).Items));
        Assert.Equal(["Übung"], Names((await ListAsync(client, "?search=%C3%BC")).Items));
        Assert.Empty((await ListAsync(client, "?search=nothing-like-it")).Items);
        Assert.Equal(6, (await ListAsync(client, "?search=")).Items.Count);
    }

    [Fact]
    public async Task Created_before_and_after_are_strict()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        var created = new List<(string Name, DateTimeOffset At)>();
        for (var i = 0; i < 3; i++)
        {
            var token = await client.CreateTokenAsync(new { name = $"c{i}", scopes = new[] { "api" } });
            created.Add(($"c{i}", Instant(token["created_at"])));
        }

        var pivot = created[1].At;
        Assert.Equal(created.Where(c => c.At > pivot).Select(c => c.Name), Names((await ListAsync(client, $"?created_after={Iso(pivot)}&sort=name_asc")).Items));
        Assert.Equal(created.Where(c => c.At < pivot).Select(c => c.Name), Names((await ListAsync(client, $"?created_before={Iso(pivot)}&sort=name_asc")).Items));
        Assert.Equal(3, (await ListAsync(client, $"?created_after={Date(-1)}")).Items.Count);
        Assert.Empty((await ListAsync(client, $"?created_before={Date(-1)}")).Items);
    }

    [Fact]
    public async Task Expires_before_and_after_treat_never_as_infinitely_late()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        await client.CreateTokenAsync(new { name = "d05", scopes = new[] { "api" }, expires_at = Date(5) });
        await client.CreateTokenAsync(new { name = "d10", scopes = new[] { "api" }, expires_at = Date(10) });
        await client.CreateTokenAsync(new { name = "d20", scopes = new[] { "api" }, expires_at = Date(20) });
        using (var never = await client.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"never","scopes":["api"],"expires_at":null,"never_expires_acknowledged":true}"""))
        {
            Assert.Equal(HttpStatusCode.Created, never.StatusCode);
        }

        Assert.Equal(["d05", "d10"], Names((await ListAsync(client, $"?expires_before={Date(15)}&sort=name_asc")).Items));
        Assert.Equal(["d20", "never"], Names((await ListAsync(client, $"?expires_after={Date(15)}&sort=name_asc")).Items));
        Assert.Equal(["d10"], Names((await ListAsync(client, $"?expires_after={Date(5)}&expires_before={Date(20)}")).Items));
        Assert.Equal(["d05", "d10", "d20", "never"], Names((await ListAsync(client, "?sort=expires_asc")).Items));
        Assert.Equal(["never", "d20", "d10", "d05"], Names((await ListAsync(client, "?sort=expires_desc")).Items));
    }

    [Fact]
    public async Task Last_used_filters_and_sorting_see_use_once_it_is_written()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        var used = await client.CreateTokenAsync(new { name = "used", scopes = new[] { "api" } });
        await client.CreateTokenAsync(new { name = "idle", scopes = new[] { "api" } });
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var use = await _factory.CreateClient(used["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, use.StatusCode);
        }

        await _factory.GetService<TokenUsageRecorder>().FlushAsync(CancellationToken.None);

        Assert.Equal(["used"], Names((await ListAsync(client, $"?last_used_after={Iso(before)}")).Items));
        Assert.Equal(["idle"], Names((await ListAsync(client, $"?last_used_before={Iso(before)}")).Items));
        Assert.Equal(["idle", "used"], Names((await ListAsync(client, "?sort=last_used_asc")).Items));
        Assert.Equal(["used", "idle"], Names((await ListAsync(client, "?sort=last_used_desc")).Items));
    }

    [Theory]
    [InlineData("name_asc", new[] { "alpha", "Bravo", "charlie" })]
    [InlineData("name_desc", new[] { "charlie", "Bravo", "alpha" })]
    [InlineData("created_asc", new[] { "Bravo", "alpha", "charlie" })]
    [InlineData("created_desc", new[] { "charlie", "alpha", "Bravo" })]
    [InlineData("id_asc", new[] { "Bravo", "alpha", "charlie" })]
    [InlineData("id_desc", new[] { "charlie", "alpha", "Bravo" })]
    public async Task Sort_orders_the_list(string sort, string[] expected)
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        foreach (var name in new[] { "Bravo", "alpha", "charlie" })
        {
            await client.CreateTokenAsync(new { name, scopes = new[] { "api" } });
        }

        Assert.Equal(expected, Names((await ListAsync(client, $"?sort={sort}")).Items));
    }

    [Fact]
    public async Task Administrators_list_one_users_tokens_or_everyones()
    {
        var alice = await _factory.CreateUserAsync();
        var bob = await _factory.CreateUserAsync();
        await _factory.CreateClient(alice).CreateTokenAsync(new { name = "alice's", scopes = new[] { "api" } });
        await _factory.CreateClient(bob).CreateTokenAsync(new { name = "bob's", scopes = new[] { "api" } });
        var admin = await _factory.CreateAdminClientAsync();

        var (aliceTokens, _) = await ListAsync(admin, $"?user_id={alice.Id}");
        Assert.Equal(["alice's"], Names(aliceTokens));

        var (everyone, _) = await ListAsync(admin, "?all=true&per_page=100");
        Assert.Contains("alice's", Names(everyone));
        Assert.Contains("bob's", Names(everyone));
        Assert.Contains(everyone, t => t!["user_id"]!.GetValue<long>() == alice.Id);
        Assert.Contains(everyone, t => t!["user_id"]!.GetValue<long>() == bob.Id);

        // Without either, an administrator sees their own, like everyone else.
        var (own, _) = await ListAsync(admin, "?per_page=100");
        Assert.All(own, t => Assert.NotEqual(alice.Id, t!["user_id"]!.GetValue<long>()));

        Assert.Empty((await ListAsync(admin, "?user_id=987654")).Items);
    }

    [Fact]
    public async Task Users_cannot_list_someone_elses_or_everyones_tokens()
    {
        var alice = await _factory.CreateUserAsync();
        var bob = await _factory.CreateUserAsync();
        await _factory.CreateClient(bob).CreateTokenAsync(new { name = "bob's secret", scopes = new[] { "api" } });
        var client = _factory.CreateClient(alice);

        using (var other = await client.GetAsync($"/api/tokens?user_id={bob.Id}"))
        {
            await ProblemAssert.ProblemAsync(other, HttpStatusCode.Forbidden);
            Assert.DoesNotContain("bob's secret", await other.Content.ReadAsStringAsync());
        }

        using (var everyone = await client.GetAsync("/api/tokens?all=true"))
        {
            await ProblemAssert.ProblemAsync(everyone, HttpStatusCode.Forbidden);
        }

        // Naming oneself is fine.
        Assert.Empty((await ListAsync(client, $"?user_id={alice.Id}")).Items);
    }

    [Fact]
    public async Task Listing_with_read_api_works_and_without_it_is_insufficient_scope()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var reader = (await admin.CreateTokenAsync(new { name = "reader", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();
        var runner = (await admin.CreateTokenAsync(new { name = "k8s", scopes = new[] { "k8s_proxy" } }))["token"]!.GetValue<string>();

        await ListAsync(_factory.CreateClient(reader));
        using var refused = await _factory.CreateClient(runner).GetAsync("/api/tokens");
        var body = await ProblemAssert.ProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"read_api\"", refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal("read_api", body["scope"]!.GetValue<string>());
    }

    /// <summary>rel → path and query of each <c>Link</c> entry.</summary>
    private static Dictionary<string, string> Links(HttpResponseMessage response)
    {
        var result = new Dictionary<string, string>();
        foreach (var part in response.Headers.GetValues("Link").Single().Split(", "))
        {
            var url = part[(part.IndexOf('<') + 1)..part.IndexOf('>')];
            var rel = part[(part.IndexOf("rel=\"", StringComparison.Ordinal) + 5)..].TrimEnd('"');
            result[rel] = new Uri(url).PathAndQuery;
        }

        return result;
    }
}

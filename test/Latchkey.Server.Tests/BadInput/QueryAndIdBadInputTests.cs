using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.BadInput;

/// <summary>Query strings and ids that make no sense, and ids of tokens that are not the caller's.</summary>
public sealed class QueryAndIdBadInputTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _factory;

    public QueryAndIdBadInputTests(LatchkeyServerFactory factory) => _factory = factory;

    [Theory]
    [InlineData("/api/tokens?page=abc", "page")]
    [InlineData("/api/tokens?page=0", "page")]
    [InlineData("/api/tokens?page=-1", "page")]
    [InlineData("/api/tokens?page=1.5", "page")]
    [InlineData("/api/tokens?page=%2B2", "page")]
    [InlineData("/api/tokens?page=", "page")]
    [InlineData("/api/tokens?page=99999999999", "page")]
    [InlineData("/api/tokens?page=1&page=2", "page")]
    [InlineData("/api/tokens?per_page=abc", "per_page")]
    [InlineData("/api/tokens?per_page=0", "per_page")]
    [InlineData("/api/tokens?per_page=-5", "per_page")]
    [InlineData("/api/tokens?per_page=1e2", "per_page")]
    [InlineData("/api/tokens?state=bogus", "state")]
    [InlineData("/api/tokens?state=ACTIVE", "state")]
    [InlineData("/api/tokens?state=", "state")]
    [InlineData("/api/tokens?revoked=maybe", "revoked")]
    [InlineData("/api/tokens?revoked=1", "revoked")]
    [InlineData("/api/tokens?sort=bogus", "sort")]
    [InlineData("/api/tokens?sort=name", "sort")]
    [InlineData("/api/tokens?sort=name_asc;DROP%20TABLE%20tokens", "sort")]
    [InlineData("/api/tokens?created_before=not-a-date", "created_before")]
    [InlineData("/api/tokens?created_after=2030-13-01", "created_after")]
    [InlineData("/api/tokens?last_used_before=yesterday", "last_used_before")]
    [InlineData("/api/tokens?last_used_after=0001-01-01T00:00:00%2B05:00", "last_used_after")]
    [InlineData("/api/tokens?expires_before=%00", "expires_before")]
    [InlineData("/api/tokens?expires_after=9999-99-99", "expires_after")]
    [InlineData("/api/tokens?expires_after=9999-12-31T23:59:59-05:00", "expires_after")]
    [InlineData("/api/tokens?user_id=abc", "user_id")]
    [InlineData("/api/tokens?user_id=-1", "user_id")]
    [InlineData("/api/tokens?user_id=1.5", "user_id")]
    [InlineData("/api/tokens?all=junk", "all")]
    [InlineData("/api/tokens?all=1", "all")]
    [InlineData("/api/users?page=abc", "page")]
    [InlineData("/api/users?per_page=0", "per_page")]
    [InlineData("/api/audit?page=x", "page")]
    [InlineData("/api/audit?page=0", "page")]
    [InlineData("/api/audit?per_page=-5", "per_page")]
    public async Task Junk_in_the_query_string_is_a_400_keyed_by_parameter(string url, string field)
    {
        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync(url);
        await ProblemAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task A_search_longer_than_a_name_can_be_is_refused()
    {
        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync($"/api/tokens?search={new string('s', 256)}");
        await ProblemAssert.ValidationAsync(response, "search");
    }

    [Theory]
    [InlineData("/api/tokens?page=2147483647&per_page=100")]
    [InlineData("/api/tokens?created_after=0001-01-01&expires_before=9999-12-31")]
    [InlineData("/api/tokens?search=%25%27%22%3B--")]
    [InlineData("/api/tokens?unknown=whatever")]
    [InlineData("/api/users?page=2147483647")]
    [InlineData("/api/audit?page=2147483647&per_page=100")]
    public async Task Extreme_but_valid_queries_answer_normally(string url)
    {
        using var response = await (await _factory.CreateAdminClientAsync()).GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ProblemAssert.NoInternals(await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string> NonNumericIds()
    {
        var data = new TheoryData<string, string>();
        foreach (var id in new[] { "abc", "1.5", "1e3", "99999999999999999999", "%20", "0x10" })
        {
            data.Add("GET", $"/api/tokens/{id}");
            data.Add("PATCH", $"/api/tokens/{id}");
            data.Add("DELETE", $"/api/tokens/{id}");
            data.Add("POST", $"/api/tokens/{id}/rotate");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NonNumericIds))]
    public async Task A_non_numeric_id_is_a_404_problem(string method, string url)
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = method is "PATCH" or "POST" ? JsonContent.Create(new { name = "x" }) : null };
        using var response = await admin.SendAsync(request);
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("9223372036854775807")]
    public async Task An_unknown_id_is_404_on_every_token_endpoint(string id)
    {
        var admin = await _factory.CreateAdminClientAsync();
        foreach (var response in await EveryTokenEndpointAsync(admin, id))
        {
            using (response)
            {
                var body = await ProblemAssert.ProblemAsync(response, HttpStatusCode.NotFound);
                Assert.Equal("Token not found.", body["detail"]?.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Someone_elses_token_answers_exactly_like_an_unknown_one_and_stays_untouched()
    {
        var owner = await _factory.CreateUserAsync();
        var stranger = await _factory.CreateUserAsync();
        var theirs = await _factory.CreateClient(owner).CreateTokenAsync(new { name = "owner's", description = "keep", scopes = new[] { "api" } });
        var client = _factory.CreateClient(stranger);

        var onTheirs = await EveryTokenEndpointAsync(client, theirs["id"]!.ToString());
        var onNothing = await EveryTokenEndpointAsync(client, "987654321");
        for (var i = 0; i < onTheirs.Count; i++)
        {
            await ProblemAssert.ProblemAsync(onTheirs[i], HttpStatusCode.NotFound);
            await ProblemAssert.SameAnswerAsync(onNothing[i], onTheirs[i]);
            onTheirs[i].Dispose();
            onNothing[i].Dispose();
        }

        using var get = await _factory.CreateClient(owner).GetAsync($"/api/tokens/{theirs["id"]}");
        var now = (await get.JsonAsync())!;
        Assert.Equal("owner's", now["name"]!.GetValue<string>());
        Assert.Equal("keep", now["description"]!.GetValue<string>());
        Assert.True(now["active"]!.GetValue<bool>());
        using var works = await _factory.CreateClient(theirs["token"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_and_methods_are_problems_too()
    {
        var admin = await _factory.CreateAdminClientAsync();
        using (var unknown = await admin.GetAsync("/api/nothing-here"))
        {
            await ProblemAssert.ProblemAsync(unknown, HttpStatusCode.NotFound);
        }

        using var method = await admin.PutAsJsonAsync("/api/tokens/1", new { name = "x" });
        await ProblemAssert.ProblemAsync(method, HttpStatusCode.MethodNotAllowed);
    }

    /// <summary>GET, PATCH (a harmless rename), rotate and DELETE of one id, in that order.</summary>
    private static async Task<List<HttpResponseMessage>> EveryTokenEndpointAsync(HttpClient client, string id) =>
    [
        await client.GetAsync($"/api/tokens/{id}"),
        await client.PatchAsJsonAsync($"/api/tokens/{id}", new { name = "renamed" }),
        await client.PostAsync($"/api/tokens/{id}/rotate", null),
        await client.DeleteAsync($"/api/tokens/{id}"),
    ];
}

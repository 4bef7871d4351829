using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>Seed 000: <c>POST /api/v4/user/personal_access_tokens</c>, a limited token for the caller.</summary>
[Collection(GitLabServer.Name)]
public sealed partial class GitLabOwnTokenTests
{
    private const string Path = "/api/v4/user/personal_access_tokens";
    private readonly LatchkeyServerFactory _factory;

    public GitLabOwnTokenTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_form_encoded_request_like_the_seed_gets_exactly_the_documented_fields()
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);
        var tomorrowBefore = GitLabArrange.DaysFromToday(1);

        using var response = await client.PostAsync(Path, GitLabArrange.Form(("name", "mytoken"), ("scopes[]", "k8s_proxy")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = (await response.JsonAsync())!.AsObject();
        GitLabArrange.AssertFields(body, "id", "name", "revoked", "created_at", "scopes", "user_id", "active", "expires_at", "token");
        Assert.True(body["id"]!.GetValue<long>() > 0);
        Assert.Equal("mytoken", body["name"]!.GetValue<string>());
        Assert.False(body["revoked"]!.GetValue<bool>());
        Assert.Matches(CreatedAtFormat(), body["created_at"]!.GetValue<string>());
        Assert.Equal(["k8s_proxy"], body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(userId, body["user_id"]!.GetValue<long>());
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Contains(body["expires_at"]!.GetValue<string>(), new[] { tomorrowBefore, GitLabArrange.DaysFromToday(1) });
        Assert.StartsWith("glpat-", body["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_expires_at_the_token_dies_at_the_next_utc_midnight()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var created = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "today only", scopes = new[] { "k8s_proxy" } });

        // The native API shows the exact instant: 00:00 UTC of tomorrow's date.
        var native = _factory.CreateClient().WithBearer(token);
        var shown = (await native.GetFromJsonAsync<JsonObject>($"/api/tokens/{created["id"]}"))!;
        Assert.Equal(created["expires_at"]!.GetValue<string>() + "T00:00:00.000Z", shown["expires_at"]!.GetValue<string>());
        Assert.Equal(DateTime.UtcNow.Date.AddDays(1), DateTime.Parse(created["expires_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task A_json_body_with_both_allowed_scopes_and_an_expiry_is_accepted()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var expires = GitLabArrange.DaysFromToday(30);

        var created = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "json", scopes = new[] { "k8s_proxy", "self_rotate" }, expires_at = expires });

        Assert.Equal(["k8s_proxy", "self_rotate"], created["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(expires, created["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scopes_may_be_sent_as_one_comma_separated_string()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using var response = await client.PostAsync(Path, GitLabArrange.Form(("name", "csv"), ("scopes", "k8s_proxy,self_rotate")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["k8s_proxy", "self_rotate"], (await response.JsonAsync())!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Theory]
    [InlineData("api")]
    [InlineData("read_api")]
    [InlineData("read_user")]
    [InlineData("sudo")]
    [InlineData("*")]
    [InlineData("no_such_scope")]
    [InlineData("")]
    public async Task Any_scope_but_k8s_proxy_and_self_rotate_is_refused_and_nothing_is_created(string scope)
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using var response = await client.PostAsync(Path, GitLabArrange.Form(("name", "wide"), ("scopes[]", "k8s_proxy"), ("scopes[]", scope)));

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.BadRequest, """{"error":"scopes does not have a valid value"}""");
        var mine = (await _factory.CreateClient().WithBearer(token).GetFromJsonAsync<JsonArray>("/api/tokens"))!;
        Assert.Single(mine); // only the token the test arranged
    }

    [Fact]
    public async Task An_expiry_beyond_the_maximum_lifetime_is_refused_with_the_last_allowed_day()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using var response = await client.PostAsJsonAsync(Path, new { name = "forever", scopes = new[] { "k8s_proxy" }, expires_at = GitLabArrange.DaysFromToday(366) });

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.BadRequest, $$"""{"message":"Expiration date must be before {{GitLabArrange.DaysFromToday(365)}}"}""");
    }

    [Fact]
    public async Task The_last_day_of_the_maximum_lifetime_is_allowed()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);

        var created = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "a year", scopes = new[] { "k8s_proxy" }, expires_at = GitLabArrange.DaysFromToday(365) });

        Assert.Equal(GitLabArrange.DaysFromToday(365), created["expires_at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task An_expiry_today_or_in_the_past_is_refused(int days)
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using var response = await client.PostAsJsonAsync(Path, new { name = "stale", scopes = new[] { "k8s_proxy" }, expires_at = GitLabArrange.DaysFromToday(days) });

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.BadRequest, """{"message":"Expiration date must be in the future"}""");
    }

    [Theory]
    [InlineData("{}", "name is missing, scopes is missing")]
    [InlineData("""{"scopes":["k8s_proxy"],"expires_at":"next week"}""", "name is missing, expires_at is invalid")]
    [InlineData("""{"name":"x","scopes":["k8s_proxy"],"expires_at":"2030-02-30"}""", "expires_at is invalid")]
    [InlineData("""{"name":{"a":1},"scopes":["k8s_proxy"]}""", "name is invalid")]
    [InlineData("""{"name":"x","scopes":[{"a":1}]}""", "scopes is invalid")]
    [InlineData("""{"name":"x","scopes":["k8s_proxy"],"expires_at":7}""", "expires_at is invalid")]
    public async Task Parameters_that_fail_their_declarations_are_all_named_in_one_error(string json, string expected)
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using var response = await client.SendAsync(ApiClient.Json(HttpMethod.Post, Path, json));

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.BadRequest, new JsonObject { ["error"] = expected }.ToJsonString());
    }

    [Fact]
    public async Task A_name_that_is_blank_or_too_long_gets_the_models_message()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using (var blank = await client.PostAsJsonAsync(Path, new { name = " ", scopes = new[] { "k8s_proxy" } }))
        {
            await GitLabArrange.AssertAnswerAsync(blank, HttpStatusCode.BadRequest, """{"message":"Name can't be blank"}""");
        }

        using var tooLong = await client.PostAsJsonAsync(Path, new { name = new string('n', 256), scopes = new[] { "k8s_proxy" } });
        await GitLabArrange.AssertAnswerAsync(tooLong, HttpStatusCode.BadRequest, """{"message":"Name is too long (maximum is 255 characters)"}""");
    }

    [Fact]
    public async Task A_malformed_json_body_and_an_unsupported_content_type_are_refused_in_grapes_words()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using (var malformed = await client.SendAsync(ApiClient.Json(HttpMethod.Post, Path, """{"name":"x","scopes":["k8s_proxy"]""")))
        {
            await GitLabArrange.AssertAnswerAsync(malformed, HttpStatusCode.BadRequest, """{"error":"message body does not match declared format"}""");
        }

        using var text = await client.SendAsync(ApiClient.Json(HttpMethod.Post, Path, "name=x", "text/plain"));
        await GitLabArrange.AssertAnswerAsync(text, HttpStatusCode.UnsupportedMediaType, """{"error":"The provided content-type 'text/plain; charset=utf-8' is not supported."}""");
    }

    [Fact]
    public async Task Parameters_in_the_query_string_count_as_in_grape()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var client = GitLabArrange.Client(_factory, token);

        using var response = await client.PostAsync($"{Path}?name=from-query&scopes[]=k8s_proxy", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("from-query", (await response.JsonAsync())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_needs_a_token_with_the_api_scope()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory, "read_api");
        var client = GitLabArrange.Client(_factory, token);

        using var response = await client.PostAsync(Path, GitLabArrange.Form(("name", "mytoken"), ("scopes[]", "k8s_proxy")));

        await GitLabArrange.AssertAnswerAsync(response, HttpStatusCode.Forbidden, GitLabArrange.ScopeError("api"));
    }

    [Fact]
    public async Task A_k8s_proxy_token_cannot_call_the_rest_of_the_api_but_can_see_itself()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var created = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "k8s", scopes = new[] { "k8s_proxy" } });
        var k8s = GitLabArrange.Client(_factory, created["token"]!.GetValue<string>());

        using (var user = await k8s.GetAsync("/api/v4/user"))
        {
            await GitLabArrange.AssertAnswerAsync(user, HttpStatusCode.Forbidden, GitLabArrange.ScopeError("read_user api read_api"));
        }

        using (var list = await k8s.GetAsync("/api/v4/personal_access_tokens"))
        {
            await GitLabArrange.AssertAnswerAsync(list, HttpStatusCode.Forbidden, GitLabArrange.ScopeError("api read_api"));
        }

        using (var create = await k8s.PostAsync(Path, GitLabArrange.Form(("name", "again"), ("scopes[]", "k8s_proxy"))))
        {
            await GitLabArrange.AssertAnswerAsync(create, HttpStatusCode.Forbidden, GitLabArrange.ScopeError("api"));
        }

        using (var rotate = await k8s.PostAsync("/api/v4/personal_access_tokens/self/rotate", null))
        {
            await GitLabArrange.AssertAnswerAsync(rotate, HttpStatusCode.Forbidden, GitLabArrange.ScopeError("api self_rotate"));
        }

        using (var native = await _factory.CreateClient().WithBearer(created["token"]!.GetValue<string>()).GetAsync("/api/tokens"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, native.StatusCode);
        }

        using var self = await k8s.GetAsync("/api/v4/personal_access_tokens/self");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        Assert.Equal(created["id"]!.GetValue<long>(), (await self.JsonAsync())!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_token_is_one_engine_token_listed_by_the_native_api_without_its_secret()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);
        var created = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "shared", scopes = new[] { "k8s_proxy" } });

        var native = (await _factory.CreateClient().WithBearer(token).GetFromJsonAsync<JsonObject>($"/api/tokens/{created["id"]}"))!;

        Assert.Equal("shared", native["name"]!.GetValue<string>());
        Assert.Equal(["k8s_proxy"], native["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(native["token"]);
    }

    [Fact]
    public async Task Secrets_sent_or_issued_never_reach_the_logs()
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);

        using var response = await _factory.CreateClient().PostAsync($"{Path}?private_token={token}", GitLabArrange.Form(("name", "quiet"), ("scopes[]", "k8s_proxy")));
        var issued = (await response.JsonAsync())!["token"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain(token, _factory.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(issued, _factory.Logs.AllText, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex CreatedAtFormat();
}

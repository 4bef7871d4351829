using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>POST /personal-access-tokens: seed 003's expiry rules, SailPoint's defaults, fields and errors.</summary>
[Collection(SailPointServer.Name)]
public sealed class SailPointCreateTests
{
    private readonly LatchkeyServerFactory _factory;

    public SailPointCreateTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_token_without_expirationDate_but_acknowledged_never_expires_and_answers_200_with_every_field()
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.PostAsJsonAsync(SailPointApi.Tokens, new { name = "never-ack", userAwareTokenNeverExpires = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var body = (await response.JsonAsync())!.AsObject();
        Assert.Equal(
            ["id", "secret", "scope", "name", "owner", "created", "accessTokenValiditySeconds", "expirationDate", "userAwareTokenNeverExpires"],
            body.Select(p => p.Key));
        Assert.Matches("^[0-9a-f]{32}$", body["id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["secret"]!.GetValue<string>()));
        Assert.Equal(["sp:scopes:all"], body["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("never-ack", body["name"]!.GetValue<string>());
        Assert.Equal("IDENTITY", body["owner"]!["type"]!.GetValue<string>());
        Assert.Equal("1", body["owner"]!["id"]!.GetValue<string>());
        Assert.Equal("Administrator", body["owner"]!["name"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", body["created"]!.GetValue<string>());
        Assert.Equal(43200, body["accessTokenValiditySeconds"]!.GetValue<int>());
        Assert.Null(body["expirationDate"]);
        Assert.True(body.ContainsKey("expirationDate"));
        Assert.True(body["userAwareTokenNeverExpires"]!.GetValue<bool>());

        // The secret works as a credential.
        using var self = await _factory.CreateClient().WithBearer(body["secret"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        Assert.Null((await self.JsonAsync())!["expires_at"]);
    }

    [Theory]
    [InlineData("""{"name":"never-unacknowledged"}""")]
    [InlineData("""{"name":"never-unacknowledged","expirationDate":null}""")]
    [InlineData("""{"name":"never-unacknowledged","expirationDate":null,"userAwareTokenNeverExpires":false}""")]
    public async Task Without_expirationDate_userAwareTokenNeverExpires_must_be_true_and_nothing_is_created(string json)
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.PostJsonAsync(SailPointApi.Tokens, json);

        var error = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
        Assert.Contains("acknowledged", error.Cause());
        Assert.DoesNotContain(await admin.ListPatsAsync(), t => t!["name"]!.GetValue<string>() == "never-unacknowledged");
    }

    [Fact]
    public async Task A_future_expirationDate_needs_no_acknowledgement_and_is_echoed_to_the_millisecond()
    {
        var admin = await _factory.AdminAsync();
        var body = await admin.CreatePatAsync(new { name = "dated", expirationDate = "2098-12-31T23:59:59.999Z" });

        Assert.Equal("2098-12-31T23:59:59.999Z", body["expirationDate"]!.GetValue<string>());
        Assert.False(body["userAwareTokenNeverExpires"]!.GetValue<bool>());

        var native = await admin.GetAsync("/api/tokens?search=dated");
        Assert.Equal("2098-12-31T23:59:59.999Z", (await native.JsonAsync())!.AsArray().Single()!["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task There_is_no_upper_limit_on_expirationDate()
    {
        var admin = await _factory.AdminAsync();
        var body = await admin.CreatePatAsync(new { name = "far-future", expirationDate = "2999-01-01T00:00:00Z", userAwareTokenNeverExpires = false });

        Assert.Equal("2999-01-01T00:00:00.000Z", body["expirationDate"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2001-01-01T00:00:00Z", "in the future")]
    [InlineData("yesterday", "expirationDate must be")]
    [InlineData("2024-13-45T99:00:00Z", "expirationDate must be")]
    [InlineData("+275760-09-13T00:00:00Z", "expirationDate must be")]
    public async Task A_past_or_unreadable_expirationDate_is_refused_even_when_acknowledged(string expirationDate, string cause)
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.PostAsJsonAsync(SailPointApi.Tokens, new { name = "bad-date", expirationDate, userAwareTokenNeverExpires = true });

        var error = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
        Assert.Contains(cause, error.Cause());
        Assert.DoesNotContain("expires_at", error.Cause());
        Assert.DoesNotContain(await admin.ListPatsAsync(), t => t!["name"]!.GetValue<string>() == "bad-date");
    }

    [Fact]
    public async Task Names_are_unique_per_owner_and_a_duplicate_is_a_reference_conflict()
    {
        var admin = await _factory.AdminAsync();
        await admin.CreateNeverExpiringPatAsync("twice");
        using var response = await admin.PostAsJsonAsync(SailPointApi.Tokens, new { name = "twice", userAwareTokenNeverExpires = true });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1.409 Reference conflict");
        Assert.Single(await admin.ListPatsAsync(), t => t!["name"]!.GetValue<string>() == "twice");

        // Another owner may use the same name.
        var (user, _) = await _factory.UserAsync("name-twin");
        await user.CreateNeverExpiringPatAsync("twice");
    }

    [Theory]
    [InlineData("""{"userAwareTokenNeverExpires":true}""", "400.1.0 Required data missing or empty")]
    [InlineData("""{"name":null,"userAwareTokenNeverExpires":true}""", "400.1.0 Required data missing or empty")]
    [InlineData("""{"name":"   ","userAwareTokenNeverExpires":true}""", "400.1 Bad Request Content")]
    [InlineData("""{"name":42,"userAwareTokenNeverExpires":true}""", "400.0 Bad request syntax")]
    [InlineData("""{"name":"x","userAwareTokenNeverExpires":"yes"}""", "400.0 Bad request syntax")]
    [InlineData("""{"name":"x","scope":"sp:scopes:all","userAwareTokenNeverExpires":true}""", "400.0 Bad request syntax")]
    [InlineData("""{"name":"x","scope":[1],"userAwareTokenNeverExpires":true}""", "400.0 Bad request syntax")]
    [InlineData("""{"name":"x","expirationDate":20301231,"userAwareTokenNeverExpires":true}""", "400.0 Bad request syntax")]
    [InlineData("""{"name":"x","accessTokenValiditySeconds":"60","userAwareTokenNeverExpires":true}""", "400.0 Bad request syntax")]
    [InlineData("""{"name":"x","accessTokenValiditySeconds":60.5,"userAwareTokenNeverExpires":true}""", "400.0 Bad request syntax")]
    [InlineData("""{"name":"x","accessTokenValiditySeconds":14,"userAwareTokenNeverExpires":true}""", "400.1 Bad Request Content")]
    [InlineData("""{"name":"x","accessTokenValiditySeconds":43201,"userAwareTokenNeverExpires":true}""", "400.1 Bad Request Content")]
    [InlineData("""{"name":"x","accessTokenValiditySeconds":99999999999,"userAwareTokenNeverExpires":true}""", "400.0 Bad request syntax")]
    [InlineData("""{"name":"x","userAwareTokenNeverExpires":true""", "400.0 Bad request syntax")]
    [InlineData("""["name"]""", "400.0 Bad request syntax")]
    [InlineData("", "400.1.0 Required data missing or empty")]
    public async Task Bad_requests_get_a_400_in_SailPoints_shape_and_create_nothing(string json, string detailCode)
    {
        var admin = await _factory.AdminAsync();
        var before = (await admin.ListPatsAsync()).Count;
        using var response = await admin.PostJsonAsync(SailPointApi.Tokens, json);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, detailCode);
        Assert.Equal(before, (await admin.ListPatsAsync()).Count);
    }

    [Fact]
    public async Task A_name_longer_than_255_characters_is_refused()
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.PostAsJsonAsync(SailPointApi.Tokens, new { name = new string('n', 256), userAwareTokenNeverExpires = true });

        var error = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
        Assert.Contains("too long", error.Cause());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_an_unsupported_media_type()
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.PostAsync(SailPointApi.Tokens, SailPointApi.Text("name=x", "application/x-www-form-urlencoded"));

        await response.AssertErrorAsync(HttpStatusCode.UnsupportedMediaType, "415 Unsupported Media Type");
    }

    [Theory]
    [InlineData(15)]
    [InlineData(43200)]
    public async Task AccessTokenValiditySeconds_between_15_and_43200_is_kept(int seconds)
    {
        var admin = await _factory.AdminAsync();
        var body = await admin.CreatePatAsync(new { name = $"validity-{seconds}", accessTokenValiditySeconds = seconds, userAwareTokenNeverExpires = true });

        Assert.Equal(seconds, body["accessTokenValiditySeconds"]!.GetValue<int>());
        var listed = (await admin.ListPatsAsync()).Single(t => t!["id"]!.GetValue<string>() == body["id"]!.GetValue<string>())!;
        Assert.Equal(seconds, listed["accessTokenValiditySeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task SailPoint_scopes_are_kept_and_sp_scopes_all_is_full_access()
    {
        var admin = await _factory.AdminAsync();
        var narrow = await admin.CreateNeverExpiringPatAsync("narrow", "sp:my-personal-access-tokens:manage", "sp:scopes:default");
        var full = await admin.CreateNeverExpiringPatAsync("explicitly-all", "sp:scopes:all");

        Assert.Equal(["sp:my-personal-access-tokens:manage", "sp:scopes:default"], narrow["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["sp:scopes:all"], full["scope"]!.AsArray().Select(s => s!.GetValue<string>()));

        // Natively, sp:scopes:all is the engine's "*": it may call the native API; the narrow one may not.
        using var fullNative = await _factory.CreateClient().WithBearer(full["secret"]!.GetValue<string>()).GetAsync("/api/tokens");
        Assert.Equal(HttpStatusCode.OK, fullNative.StatusCode);
        using var narrowNative = await _factory.CreateClient().WithBearer(narrow["secret"]!.GetValue<string>()).GetAsync("/api/tokens");
        Assert.Equal(HttpStatusCode.Forbidden, narrowNative.StatusCode);
    }

    [Theory]
    [InlineData("idn:does-not-exist")]
    [InlineData("api")]
    [InlineData("")]
    public async Task Unknown_scopes_and_other_APIs_scopes_are_refused(string scope)
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.PostAsJsonAsync(SailPointApi.Tokens, new { name = $"scope-{scope}", scope = new[] { scope }, userAwareTokenNeverExpires = true });

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
    }

    [Theory]
    [InlineData("api", "scope 'api' is not allowed here; allowed: sp:scopes:all, sp:scopes:default, sp:my-personal-access-tokens:manage, sp:all-personal-access-tokens:manage.")]
    [InlineData("sp:scopes:unknown", "scope 'sp:scopes:unknown' does not exist.")]
    public async Task A_refused_scope_is_named_as_sent_and_the_allowed_ones_by_SailPoint_s_names(string scope, string cause)
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.PostAsJsonAsync(SailPointApi.Tokens, new { name = $"named-{scope}", scope = new[] { scope }, userAwareTokenNeverExpires = true });

        var error = await response.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
        Assert.Equal(cause, error.Cause());
    }

    [Fact]
    public async Task A_token_cannot_create_a_token_broader_than_itself()
    {
        var admin = await _factory.AdminAsync();
        var manager = await admin.CreateNeverExpiringPatAsync("manager-only", "sp:my-personal-access-tokens:manage");
        var client = _factory.CreateClient().WithBearer(manager["secret"]!.GetValue<string>());

        using var broader = await client.PostAsJsonAsync(SailPointApi.Tokens, new { name = "broader", userAwareTokenNeverExpires = true });
        await broader.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");

        var same = await client.CreateNeverExpiringPatAsync("same", "sp:my-personal-access-tokens:manage");
        Assert.Equal("Administrator", same["owner"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v3/personal-access-tokens")]
    [InlineData("/beta/personal-access-tokens")]
    [InlineData("/v2024/personal-access-tokens")]
    public async Task Every_API_version_serves_the_same_resource(string path)
    {
        var admin = await _factory.AdminAsync();
        var name = "via" + path.Replace('/', '-');
        var created = await admin.CreatePatAsync(new { name, userAwareTokenNeverExpires = true }, path);

        foreach (var version in new[] { "v3", "beta", "v2024" })
        {
            using var list = await admin.GetAsync($"/{version}/personal-access-tokens?owner-id=me");
            Assert.Contains((await list.JsonAsync())!.AsArray(), t => t!["id"]!.GetValue<string>() == created["id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Without_credentials_the_answer_is_401_in_SailPoints_shape()
    {
        using var response = await _factory.CreateClient().PostAsJsonAsync(SailPointApi.Tokens, new { name = "anonymous", userAwareTokenNeverExpires = true });

        var body = await response.AssertErrorAsync(HttpStatusCode.Unauthorized, "401 Unauthorized");
        Assert.False(string.IsNullOrEmpty(body["error"]!.GetValue<string>()));
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_garbage_token_gets_the_same_401_without_saying_why()
    {
        using var garbage = await _factory.CreateClient().WithBearer("lk_not-a-token").GetAsync(SailPointApi.Tokens + "?owner-id=me");
        using var none = await _factory.CreateClient().GetAsync(SailPointApi.Tokens + "?owner-id=me");

        var garbageBody = await garbage.AssertErrorAsync(HttpStatusCode.Unauthorized, "401 Unauthorized");
        var noneBody = await none.AssertErrorAsync(HttpStatusCode.Unauthorized, "401 Unauthorized");
        Assert.Equal(noneBody["messages"]!.ToJsonString(), garbageBody["messages"]!.ToJsonString());
        Assert.Contains("invalid_token", garbage.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_without_the_manage_scope_gets_403_naming_the_scope()
    {
        var admin = await _factory.AdminAsync();
        var weak = await admin.CreateNeverExpiringPatAsync("default-only", "sp:scopes:default");
        using var response = await _factory.CreateClient().WithBearer(weak["secret"]!.GetValue<string>())
            .PostAsJsonAsync(SailPointApi.Tokens, new { name = "from-weak", userAwareTokenNeverExpires = true });

        var error = await response.AssertErrorAsync(HttpStatusCode.Forbidden, "403 Forbidden");
        Assert.Contains("sp:my-personal-access-tokens:manage", error.Cause());
        Assert.DoesNotContain(await admin.ListPatsAsync(), t => t!["name"]!.GetValue<string>() == "from-weak");
    }

    [Fact]
    public async Task The_secret_is_never_logged()
    {
        var admin = await _factory.AdminAsync();
        var body = await admin.CreateNeverExpiringPatAsync("unlogged");

        Assert.DoesNotContain(body["secret"]!.GetValue<string>(), _factory.Logs.AllText);
    }
}

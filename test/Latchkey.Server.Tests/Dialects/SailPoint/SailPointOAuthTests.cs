using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>POST /oauth/token: signing in with a PAT's id and secret (client credentials) and what the access token can do.</summary>
[Collection(SailPointServer.Name)]
public sealed class SailPointOAuthTests
{
    private readonly LatchkeyServerFactory _factory;

    public SailPointOAuthTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_PAT_is_exchanged_for_an_access_token_that_lives_accessTokenValiditySeconds()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreatePatAsync(new { name = "exchanged", accessTokenValiditySeconds = 600, userAwareTokenNeverExpires = true });

        using var response = await _factory.CreateClient().PostAsync("/oauth/token", Form(pat));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var body = (await response.JsonAsync())!.AsObject();
        var accessToken = body["access_token"]!.GetValue<string>();
        Assert.NotEqual(pat["secret"]!.GetValue<string>(), accessToken);
        Assert.Equal("bearer", body["token_type"]!.GetValue<string>());
        Assert.InRange(body["expires_in"]!.GetValue<long>(), 598, 600);
        Assert.Equal("sp:scopes:all", body["scope"]!.GetValue<string>());
        Assert.Equal(pat["owner"]!["id"]!.GetValue<string>(), body["identity_id"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", body["jti"]!.GetValue<string>());
        Assert.NotEqual(pat["id"]!.GetValue<string>(), body["jti"]!.GetValue<string>());

        // It authenticates like its PAT, and expires when its validity runs out.
        var client = _factory.CreateClient().WithBearer(accessToken);
        Assert.Contains(await client.ListPatsAsync(), t => t!["id"]!.GetValue<string>() == pat["id"]!.GetValue<string>());
        using var self = await client.GetAsync("/api/tokens/self");
        var expiresAt = DateTimeOffset.Parse((await self.JsonAsync())!["expires_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(590), TimeSpan.FromSeconds(601));
    }

    [Theory]
    [InlineData("form")]
    [InlineData("multipart")]
    [InlineData("query")]
    [InlineData("basic")]
    public async Task The_credentials_may_come_as_a_form_multipart_a_query_string_or_HTTP_Basic(string how)
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync($"sent-as-{how}");
        var id = pat["id"]!.GetValue<string>();
        var secret = pat["secret"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token");
        switch (how)
        {
            case "form":
                request.Content = Form(pat);
                break;
            case "multipart":
                request.Content = new MultipartFormDataContent
                {
                    { new StringContent("client_credentials"), "grant_type" },
                    { new StringContent(id), "client_id" },
                    { new StringContent(secret), "client_secret" },
                };
                break;
            case "query":
                request.RequestUri = new Uri($"/oauth/token?grant_type=client_credentials&client_id={id}&client_secret={Uri.EscapeDataString(secret)}", UriKind.Relative);
                break;
            default:
                request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" });
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{Uri.EscapeDataString(secret)}")));
                break;
        }

        using var response = await _factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accessToken = (await response.JsonAsync())!["access_token"]!.GetValue<string>();
        using var self = await _factory.CreateClient().WithBearer(accessToken).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
    }

    [Fact]
    public async Task The_access_token_has_exactly_its_PATs_scopes()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("least-privileged", "sp:scopes:default");

        var exchanged = await _factory.CreateClient().ExchangeAsync(pat);
        Assert.Equal("sp:scopes:default", exchanged["scope"]!.GetValue<string>());

        using var response = await _factory.CreateClient().WithBearer(exchanged["access_token"]!.GetValue<string>()).GetAsync(SailPointApi.Tokens + "?owner-id=me");
        var error = await response.AssertErrorAsync(HttpStatusCode.Forbidden, "403 Forbidden");
        Assert.Contains("sp:my-personal-access-tokens:manage", error.Cause());
    }

    [Fact]
    public async Task The_access_token_never_outlives_its_PAT()
    {
        var admin = await _factory.AdminAsync();
        var patExpires = DateTimeOffset.UtcNow.AddMinutes(5);
        var pat = await admin.CreatePatAsync(new { name = "expiring-soon", expirationDate = patExpires.ToString("O") });

        var exchanged = await _factory.CreateClient().ExchangeAsync(pat);

        Assert.InRange(exchanged["expires_in"]!.GetValue<long>(), 250, 300);
    }

    [Fact]
    public async Task Deleting_the_PAT_kills_its_access_tokens_on_the_next_request()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("parent");
        var first = (await _factory.CreateClient().ExchangeAsync(pat))["access_token"]!.GetValue<string>();
        var second = (await _factory.CreateClient().ExchangeAsync(pat))["access_token"]!.GetValue<string>();
        foreach (var token in new[] { first, second })
        {
            using var alive = await _factory.CreateClient().WithBearer(token).GetAsync(SailPointApi.Tokens + "?owner-id=me");
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        using (var deleted = await admin.DeleteAsync($"{SailPointApi.Tokens}/{pat["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        foreach (var token in new[] { first, second })
        {
            using var dead = await _factory.CreateClient().WithBearer(token).GetAsync(SailPointApi.Tokens + "?owner-id=me");
            await dead.AssertErrorAsync(HttpStatusCode.Unauthorized, "401 Unauthorized");
        }

        using var again = await _factory.CreateClient().PostAsync("/oauth/token", Form(pat));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    public static TheoryData<string> BadCredentials => new() { "wrong-secret", "wrong-id", "no-secret", "no-id", "garbage", "session", "access-token" };

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task Bad_client_credentials_are_invalid_client_and_never_echoed(string how)
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync($"victim-{how}");
        var other = await admin.CreateNeverExpiringPatAsync($"other-{how}");
        var id = pat["id"]!.GetValue<string>();
        var secret = how switch
        {
            "wrong-secret" => other["secret"]!.GetValue<string>(),
            "garbage" => "lk_definitely-not-a-secret-0000000000000",
            "session" => await _factory.CreateClient().SignInAsync(),
            "access-token" => (await _factory.CreateClient().ExchangeAsync(pat))["access_token"]!.GetValue<string>(),
            _ => pat["secret"]!.GetValue<string>(),
        };
        var fields = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (how != "no-id")
        {
            fields["client_id"] = how == "wrong-id" ? other["id"]!.GetValue<string>() : id;
        }

        if (how != "no-secret")
        {
            fields["client_secret"] = secret;
        }

        using var response = await _factory.CreateClient().PostAsync("/oauth/token", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text)!;
        Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
        Assert.Equal("Bad client credentials", body["error_description"]!.GetValue<string>());
        Assert.DoesNotContain(secret, text);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("grant_type=password&client_id=a&client_secret=b", "unsupported_grant_type")]
    [InlineData("grant_type=authorization_code&code=x", "unsupported_grant_type")]
    [InlineData("client_id=a&client_secret=b", "invalid_request")]
    [InlineData("grant_type=client_credentials&grant_type=client_credentials&client_id=a&client_secret=b", "invalid_request")]
    public async Task Other_grants_and_malformed_requests_are_400_with_an_OAuth_error(string form, string error)
    {
        using var response = await _factory.CreateClient().PostAsync("/oauth/token", SailPointApi.Text(form, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await response.JsonAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Credentials_sent_both_as_HTTP_Basic_and_as_parameters_are_an_invalid_request_and_issue_nothing()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("two-methods");
        var id = pat["id"]!.GetValue<string>();
        var secret = pat["secret"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = Form(pat) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{Uri.EscapeDataString(secret)}")));

        using var response = await _factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("invalid_request", JsonNode.Parse(text)!["error"]!.GetValue<string>());
        Assert.DoesNotContain(secret, text);
    }

    [Fact]
    public async Task A_client_secret_in_the_query_string_never_reaches_the_logs()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("query-string-secret");
        var secret = pat["secret"]!.GetValue<string>();

        using var response = await _factory.CreateClient().PostAsync(
            $"/oauth/token?grant_type=client_credentials&client_id={pat["id"]}&client_secret={Uri.EscapeDataString(secret)}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accessToken = (await response.JsonAsync())!["access_token"]!.GetValue<string>();

        var logs = _factory.Logs.AllText;
        Assert.Contains($"client_id={pat["id"]}&client_secret=[Redacted]", logs);
        Assert.DoesNotContain(secret, logs);
        Assert.DoesNotContain(accessToken, logs);
    }

    private static FormUrlEncodedContent Form(JsonObject pat) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = pat["id"]!.GetValue<string>(),
        ["client_secret"] = pat["secret"]!.GetValue<string>(),
    });
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>RFC 7662 <c>POST /oauth/introspect</c> as a resource server uses it.</summary>
public sealed class IntrospectionTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _factory;

    public IntrospectionTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task An_active_token_answers_whose_it_is_what_it_may_do_and_when_it_ends()
    {
        var (secret, id, owner) = await _factory.PatAsync("read_api", "read_repository");
        var stored = (await _factory.GetService<TokenManager>().GetAsync(TokenActor.System, id, CancellationToken.None)).Value!;
        var resourceServer = await _factory.ResourceServerAsync();

        using var response = await resourceServer.IntrospectAsync(secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = (await response.JsonAsync())!.AsObject();
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal("read_api read_repository", body["scope"]!.GetValue<string>());
        Assert.Equal(owner.Username, body["username"]!.GetValue<string>());
        Assert.Equal(owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), body["sub"]!.GetValue<string>());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(stored.ExpiresAt!.Value.ToUnixTimeSeconds(), body["exp"]!.GetValue<long>());
        Assert.Equal(stored.CreatedAt.ToUnixTimeSeconds(), body["iat"]!.GetValue<long>());
        Assert.Equal(stored.PublicId, body["client_id"]!.GetValue<string>());
        Assert.Equal(stored.PublicId, body["jti"]!.GetValue<string>());
        Assert.Equal(id, body["token_id"]!.GetValue<long>());
        Assert.Equal("http://localhost", body["iss"]!.GetValue<string>());
        Assert.DoesNotContain(secret, body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_unknown_and_malformed_tokens_answer_exactly_active_false()
    {
        var (revoked, id, owner) = await _factory.PatAsync("read_api");
        using (var revoke = await _factory.CreateClient(owner).DeleteAsync($"/api/tokens/{id}"))
        {
            Assert.True(revoke.IsSuccessStatusCode);
        }

        var resourceServer = await _factory.ResourceServerAsync();
        foreach (var token in new[] { revoked, "lk_" + new string('a', 38), "not a token at all", revoked[..^1] })
        {
            using var response = await resourceServer.IntrospectAsync(token);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"active":false}""", await response.Content.ReadAsStringAsync());
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        }
    }

    [Fact]
    public async Task A_blocked_owners_token_answers_active_false()
    {
        var (secret, _, owner) = await _factory.PatAsync("read_api");
        using (var block = await (await _factory.CreateAdminClientAsync()).PostAsync($"/api/users/{owner.Id}/block", null))
        {
            Assert.True(block.IsSuccessStatusCode);
        }

        using var response = await (await _factory.ResourceServerAsync()).IntrospectAsync(secret);

        Assert.Equal("""{"active":false}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Introspecting_a_token_does_not_count_as_using_it()
    {
        var (secret, id, owner) = await _factory.PatAsync("read_api");
        var resourceServer = await _factory.ResourceServerAsync();

        using (var response = await resourceServer.IntrospectAsync(secret))
        {
            Assert.True((await response.JsonAsync())!["active"]!.GetValue<bool>());
        }

        var token = await _factory.CreateClient(owner).GetFromJsonAsync<JsonObject>($"/api/tokens/{id}");
        Assert.Null(token!["last_used_at"]?.GetValue<DateTimeOffset>());
        Assert.Empty(token["last_used_ips"]!.AsArray());
    }

    [Fact]
    public async Task A_caller_without_the_introspect_scope_gets_403_naming_it()
    {
        var (target, _, _) = await _factory.PatAsync("read_api");
        var (apiOnly, _, _) = await _factory.PatAsync("api");

        using var response = await _factory.CreateClient(apiOnly).IntrospectAsync(target);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"introspect\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("insufficient_scope", (await response.JsonAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_caller_without_a_credential_gets_401_with_a_bearer_challenge()
    {
        var (target, _, _) = await _factory.PatAsync("read_api");

        using var response = await _factory.CreateClient().IntrospectAsync(target);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_client", (await response.JsonAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_caller_with_an_invalid_token_gets_401_invalid_token()
    {
        var (target, _, _) = await _factory.PatAsync("read_api");

        using var response = await _factory.CreateClient("lk_" + new string('b', 38)).IntrospectAsync(target);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrators_session_or_admin_mode_token_may_introspect_but_not_a_plain_api_token()
    {
        var (target, _, _) = await _factory.PatAsync("read_api");
        var admin = await _factory.CreateAdminClientAsync();
        var adminMode = (await admin.CreateTokenAsync(new { name = "admin mode", scopes = new[] { "api", "admin_mode" } }))["token"]!.GetValue<string>();
        var apiOnly = (await admin.CreateTokenAsync(new { name = "admin api", scopes = new[] { "api" } }))["token"]!.GetValue<string>();

        using var bySession = await admin.IntrospectAsync(target);
        using var byAdminMode = await _factory.CreateClient(adminMode).IntrospectAsync(target);
        using var byApi = await _factory.CreateClient(apiOnly).IntrospectAsync(target);

        Assert.True((await bySession.JsonAsync())!["active"]!.GetValue<bool>());
        Assert.True((await byAdminMode.JsonAsync())!["active"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, byApi.StatusCode);
    }

    [Fact]
    public async Task The_caller_may_authenticate_with_http_basic_as_an_oauth_client_does()
    {
        var (target, _, _) = await _factory.PatAsync("read_api");
        var (introspector, _, _) = await _factory.PatAsync("introspect");

        using var response = await _factory.CreateClient().WithBasic("resource-server", introspector).IntrospectAsync(target);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.JsonAsync())!["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_access_token_from_the_token_endpoint_names_the_personal_token_that_requested_it_as_client_id()
    {
        var (pat, id, _) = await _factory.PatAsync("read_api");
        var publicId = (await _factory.GetService<TokenManager>().GetAsync(TokenActor.System, id, CancellationToken.None)).Value!.PublicId;
        string access;
        using (var issued = await _factory.CreateClient().PostAsync("/oauth/token", OAuthRequests.Form(("grant_type", "client_credentials"), ("client_id", publicId), ("client_secret", pat))))
        {
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
            access = (await issued.JsonAsync())!["access_token"]!.GetValue<string>();
        }

        using var response = await (await _factory.ResourceServerAsync()).IntrospectAsync(access);

        var body = (await response.JsonAsync())!;
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal(publicId, body["client_id"]!.GetValue<string>());
        Assert.NotEqual(publicId, body["jti"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "application/x-www-form-urlencoded")]
    [InlineData("token=", "application/x-www-form-urlencoded")]
    [InlineData("token_type_hint=access_token", "application/x-www-form-urlencoded")]
    [InlineData("token=a&token=b", "application/x-www-form-urlencoded")]
    [InlineData("token=%FF%FE", "application/x-www-form-urlencoded")]
    [InlineData("token=abc&token_type_hint=%C3", "application/x-www-form-urlencoded")]
    [InlineData("token=abc", "application/x-www-form-urlencoded; charset=iso-8859-1")]
    [InlineData("""{"token":"abc"}""", "application/json")]
    [InlineData("token=abc", "text/plain")]
    public async Task A_request_that_is_not_a_well_formed_form_with_one_token_answers_400_invalid_request(string body, string contentType)
    {
        var resourceServer = await _factory.ResourceServerAsync();

        using var response = await resourceServer.SendRawAsync(HttpMethod.Post, OAuthRequests.IntrospectPath, body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.JsonAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_without_any_body_answers_400_invalid_request()
    {
        using var response = await (await _factory.ResourceServerAsync()).PostAsync(OAuthRequests.IntrospectPath, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.JsonAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_over_16_kib_answers_413_invalid_request()
    {
        using var response = await (await _factory.ResourceServerAsync()).PostAsync(OAuthRequests.IntrospectPath, OAuthRequests.Form(("token", new string('x', 17 * 1024))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("invalid_request", (await response.JsonAsync())!["error"]!.GetValue<string>());
    }
}

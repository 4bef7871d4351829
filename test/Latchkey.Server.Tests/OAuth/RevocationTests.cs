using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>RFC 7009 <c>POST /oauth/revoke</c>: whoever holds a token's value can kill it, and learns nothing else.</summary>
public sealed class RevocationTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _factory;

    public RevocationTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_revoked_token_fails_the_very_next_request_and_introspects_inactive()
    {
        var (secret, _, _) = await _factory.PatAsync("read_api");
        var owner = _factory.CreateClient(secret);
        using (var before = await owner.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var revoke = await _factory.CreateClient().RevokeAsync(secret);
        using var after = await owner.GetAsync("/api/tokens/self");
        using var introspected = await (await _factory.ResourceServerAsync()).IntrospectAsync(secret);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Empty(await revoke.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("""{"active":false}""", await introspected.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_revocation_is_audited_as_by_value_from_the_finders_address()
    {
        var (secret, id, _) = await _factory.PatAsync("read_api");

        using var revoke = await _factory.CreateClient().WithClientAddress("203.0.113.77").RevokeAsync(secret);

        var entry = Assert.Single(await RevocationsOfAsync(id));
        Assert.Equal("revoked by value", entry["details"]!.GetValue<string>());
        Assert.Equal("203.0.113.77", entry["ip_address"]!.GetValue<string>());
        Assert.Null(entry["actor_user_id"]);
    }

    [Fact]
    public async Task Unknown_malformed_and_already_revoked_values_answer_the_same_200_and_write_nothing()
    {
        var (secret, id, _) = await _factory.PatAsync("read_api");
        var client = _factory.CreateClient();
        using (var first = await client.RevokeAsync(secret))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        foreach (var value in new[] { secret, "lk_" + new string('c', 38), "definitely not a token", secret[..^2] })
        {
            using var response = await client.RevokeAsync(value);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        Assert.Single(await RevocationsOfAsync(id));
    }

    [Fact]
    public async Task An_oauth_clients_basic_credentials_are_ignored_and_never_count_as_failed_authentications()
    {
        // More requests than the address's budget of failed authentications (20 a minute), each with a Basic secret
        // that is no token: were it judged, the address would now be refused.
        const string address = "203.0.113.78";
        var client = _factory.CreateClient().WithClientAddress(address).WithBasic("some-client", "not-a-latchkey-token");
        for (var i = 0; i < 21; i++)
        {
            using var response = await client.RevokeAsync("lk_" + new string('d', 38));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var (fresh, _, _) = await _factory.PatAsync("read_api");
        using var after = await _factory.CreateClient(fresh).WithClientAddress(address).GetAsync("/api/tokens/self");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData("", "application/x-www-form-urlencoded")]
    [InlineData("token_type_hint=refresh_token", "application/x-www-form-urlencoded")]
    [InlineData("token=a&token=b", "application/x-www-form-urlencoded")]
    [InlineData("token=%C3%28", "application/x-www-form-urlencoded")]
    [InlineData("""{"token":"abc"}""", "application/json")]
    public async Task A_request_that_is_not_a_well_formed_form_with_one_token_answers_400_invalid_request(string body, string contentType)
    {
        using var response = await _factory.CreateClient().SendRawAsync(HttpMethod.Post, OAuthRequests.RevokePath, body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.JsonAsync())!["error"]!.GetValue<string>());
    }

    private async Task<List<JsonNode>> RevocationsOfAsync(long tokenId)
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var response = await admin.GetAsync($"/api/audit?action=token.revoked&token_id={tokenId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync())!.AsArray().Select(e => e!)];
    }
}

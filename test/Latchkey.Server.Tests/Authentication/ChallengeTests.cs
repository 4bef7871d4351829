using System.Net;
using System.Net.Http.Json;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;
using static Latchkey.Server.Tests.Infrastructure.Dates;
using Latchkey.Tokens;

namespace Latchkey.Server.Tests.Authentication;

/// <summary>RFC 6750 answers: no credential, a bad one (whatever the reason, one answer), and a missing scope.</summary>
public sealed class ChallengeTests : IClassFixture<AdjustableClockServerFactory>
{
    private const string InvalidToken = "Bearer realm=\"Latchkey\", error=\"invalid_token\"";

    private readonly AdjustableClockServerFactory _factory;

    public ChallengeTests(AdjustableClockServerFactory factory) => _factory = factory;

    private async Task<HttpResponseMessage> SelfAsync(string credential)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tokens/self");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", credential));
        return await _factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task No_credential_is_a_bearer_challenge_without_an_error()
    {
        using var response = await _factory.CreateClient().GetAsync("/api/tokens/self");
        var body = await ProblemAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("invalid", body.ToJsonString());
    }

    [Theory]
    [InlineData("Digest username=\"x\"")]
    [InlineData("Negotiate abc")]
    public async Task A_header_with_another_scheme_counts_as_no_credential(string header)
    {
        using var response = await SelfAsync(header);
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Bad_unknown_revoked_expired_and_rotated_away_tokens_all_get_the_same_invalid_token_answer()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var good = (await admin.CreateTokenAsync(new { name = "good", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        var revoked = await admin.CreateTokenAsync(new { name = "revoked", scopes = new[] { "api" } });
        var expiring = await admin.CreateTokenAsync(new { name = "expiring", scopes = new[] { "api" }, expires_at = SecondsFromNow(_factory.Clock, 1) });
        var rotated = await admin.CreateTokenAsync(new { name = "rotated", scopes = new[] { "api" } });

        // Used once each, so they sit in the validation cache when they die.
        foreach (var secret in new[] { revoked, expiring, rotated }.Select(t => t["token"]!.GetValue<string>()))
        {
            using var warm = await SelfAsync($"Bearer {secret}");
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using (var revoke = await admin.DeleteAsync($"/api/tokens/{revoked["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var rotate = await admin.PostAsync($"/api/tokens/{rotated["id"]}/rotate", null))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        }

        _factory.Clock.AdvancePast(Instant(expiring["expires_at"]));

        var keyId = _factory.GetService<TokenHasher>().CurrentKeyId;
        var credentials = new Dictionary<string, string>
        {
            ["typo"] = "Bearer " + good[..^1] + (good[^1] == 'a' ? 'b' : 'a'),
            ["one character short"] = "Bearer " + good[..^1],
            ["random string"] = "Bearer not-a-token-at-all",
            ["well-formed but unknown"] = "Bearer " + TokenFormat.Generate("lk_", keyId),
            ["unknown hashing key"] = "Bearer " + TokenFormat.Generate("lk_", keyId == "zz" ? "zy" : "zz"),
            ["another prefix"] = "Bearer " + TokenFormat.Generate("glpat-", keyId),
            ["very long"] = "Bearer " + new string('x', 10_000),
            ["Basic that is not Base64"] = "Basic %%%not-base64%%%",
            ["Basic without the token"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:")),
            ["revoked"] = "Bearer " + revoked["token"]!.GetValue<string>(),
            ["expired"] = "Bearer " + expiring["token"]!.GetValue<string>(),
            ["rotated away"] = "Bearer " + rotated["token"]!.GetValue<string>(),
        };

        using var reference = await SelfAsync(credentials["typo"]);
        await ProblemAssert.ProblemAsync(reference, HttpStatusCode.Unauthorized);
        Assert.Equal(InvalidToken, reference.Headers.WwwAuthenticate.ToString());
        foreach (var (reason, credential) in credentials)
        {
            using var response = await SelfAsync(credential);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{reason}: {(int)response.StatusCode}");
            await ProblemAssert.SameAnswerAsync(reference, response);
        }

        using var stillGood = await SelfAsync($"Bearer {good}");
        Assert.Equal(HttpStatusCode.OK, stillGood.StatusCode);
    }

    [Fact]
    public async Task A_broken_credential_does_not_stop_an_endpoint_that_allows_anonymous_callers()
    {
        // Signing in needs no credential; a stale one left in a client's headers must not lock its user out.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { username = "admin", password = LatchkeyServerFactory.AdminPassword }) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer not-a-token-at-all");
        using var response = await _factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_missing_scope_is_403_insufficient_scope_naming_it()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var reader = (await admin.CreateTokenAsync(new { name = "reader", scopes = new[] { "read_user" } }))["token"]!.GetValue<string>();
        using var response = await _factory.CreateClient(reader).GetAsync("/api/tokens");
        var body = await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"read_api\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("read_api", body["scope"]!.GetValue<string>());
    }
}

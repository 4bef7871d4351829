using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Tokens;

namespace Latchkey.Server.Tests.Authentication;

/// <summary>
/// <c>Latchkey:FailedAuthentication</c>: one address guessing tokens is answered 429 once over its budget, on every
/// route in that route's own error shape, without store lookups, while valid tokens it already uses keep working.
/// </summary>
public sealed class FailedAuthenticationLimitTests : IClassFixture<FailedAuthenticationLimitTests.Factory>
{
    private readonly Factory _factory;

    public FailedAuthenticationLimitTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        public const int PermitLimit = 3;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:FailedAuthentication:PermitLimit"] = PermitLimit.ToString(CultureInfo.InvariantCulture),
            ["Latchkey:FailedAuthentication:Window"] = "00:10:00",

            // The validator logs each refusal at Debug: the way to see whether a guess reached the store.
            ["Logging:LogLevel:Latchkey.TokenValidator"] = "Debug",
        };
    }

    private string Forged() => TokenFormat.Generate("lk_", _factory.GetService<TokenHasher>().CurrentKeyId);

    private HttpClient From(string address, string? token = null)
    {
        var client = _factory.CreateClient().WithClientAddress(address);
        return token is null ? client : client.WithBearer(token);
    }

    /// <summary>Uses up <paramref name="address"/>'s failures with well-formed tokens nobody issued, each a plain 401.</summary>
    private async Task ExhaustAsync(string address)
    {
        for (var i = 0; i < Factory.PermitLimit; i++)
        {
            using var refused = await From(address, Forged()).GetAsync("/api/tokens/self");
            await ProblemAssert.ProblemAsync(refused, HttpStatusCode.Unauthorized);
        }
    }

    private int StoreLookupsThatFoundNothing() => _factory.Logs.Lines.Count(line => line.Contains("Token refused: Unknown", StringComparison.Ordinal));

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } after && after > TimeSpan.Zero && after <= TimeSpan.FromMinutes(10), $"Retry-After: '{response.Headers.RetryAfter}'");
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Guessed_tokens_from_one_address_answer_429_with_Retry_After_once_over_the_limit_and_cost_no_store_lookup()
    {
        const string address = "203.0.113.1";
        var before = StoreLookupsThatFoundNothing();
        await ExhaustAsync(address);
        var lookups = StoreLookupsThatFoundNothing();
        Assert.True(lookups >= before + Factory.PermitLimit, "each refused guess under the limit is one store lookup, logged");

        for (var i = 0; i < 5; i++)
        {
            using var limited = await From(address, Forged()).GetAsync("/api/tokens/self");
            var body = await ProblemAssert.ProblemAsync(limited, (HttpStatusCode)429);
            Assert.Equal("Too many failed authentications", body["title"]!.GetValue<string>());
            AssertRetryAfter(limited);
        }

        Assert.Equal(lookups, StoreLookupsThatFoundNothing());
    }

    [Fact]
    public async Task A_valid_token_the_address_already_uses_keeps_working_while_its_guesses_are_refused()
    {
        const string address = "203.0.113.2";
        var admin = await _factory.CreateAdminClientAsync();
        var token = (await admin.CreateTokenAsync(new { name = "in use", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        using (var first = await From(address, token).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await ExhaustAsync(address);
        using (var guess = await From(address, Forged()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal((HttpStatusCode)429, guess.StatusCode);
        }

        for (var i = 0; i < 5; i++)
        {
            using var valid = await From(address, token).GetAsync("/api/tokens/self");
            Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        }
    }

    [Fact]
    public async Task A_client_presenting_only_valid_tokens_is_never_limited()
    {
        const string address = "203.0.113.3";
        var admin = await _factory.CreateAdminClientAsync();
        var tokens = new List<string>();
        for (var i = 0; i < Factory.PermitLimit + 2; i++)
        {
            tokens.Add((await admin.CreateTokenAsync(new { name = $"valid {i}", scopes = new[] { "api" } }))["token"]!.GetValue<string>());
        }

        foreach (var token in tokens.Concat(tokens))
        {
            using var response = await From(address, token).GetAsync("/api/tokens/self");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task One_address_over_its_limit_does_not_slow_any_other()
    {
        await ExhaustAsync("203.0.113.4");

        using var elsewhere = await From("203.0.113.5", Forged()).GetAsync("/api/tokens/self");
        await ProblemAssert.ProblemAsync(elsewhere, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_first_seen_from_an_address_over_its_limit_waits_like_a_guess_since_telling_them_apart_needs_the_store()
    {
        const string address = "203.0.113.6";
        var admin = await _factory.CreateAdminClientAsync();
        var unused = (await admin.CreateTokenAsync(new { name = "never used yet", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        await ExhaustAsync(address);

        using var waits = await From(address, unused).GetAsync("/api/tokens/self");
        Assert.Equal((HttpStatusCode)429, waits.StatusCode);

        using var elsewhere = await From("203.0.113.7", unused).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Theory]
    [InlineData("gitlab", "/api/v4/personal_access_tokens")]
    [InlineData("unleash", "/api/admin/user/tokens")]
    [InlineData("sailpoint", "/v3/personal-access-tokens")]
    [InlineData("talkover", "/api/v1/user/api-tokens")]
    public async Task Each_dialect_answers_the_429_in_its_own_error_shape(string dialect, string path)
    {
        var address = $"198.51.100.{dialect.Length * 10}";
        await ExhaustAsync(address);

        using var limited = await From(address, Forged()).GetAsync(path);
        var text = await limited.Content.ReadAsStringAsync();
        Assert.True(limited.StatusCode == (HttpStatusCode)429, $"{(int)limited.StatusCode}: {text}");
        AssertRetryAfter(limited);
        Assert.Equal("application/json", limited.Content.Headers.ContentType?.MediaType);
        ProblemAssert.NoInternals(text);
        var body = JsonNode.Parse(text)!.AsObject();
        switch (dialect)
        {
            case "gitlab":
                Assert.Equal("""{"message":"429 Too Many Requests"}""", text);
                break;
            case "unleash":
                Assert.Equal(["details", "id", "message", "name"], body.Select(p => p.Key).Order());
                Assert.Equal("RateLimitError", body["name"]!.GetValue<string>());
                Assert.Equal(body["message"]!.GetValue<string>(), body["details"]![0]!["message"]!.GetValue<string>());
                break;
            case "sailpoint":
                Assert.Equal("429 Too Many Requests", body["detailCode"]!.GetValue<string>());
                Assert.Matches("^[0-9a-f]{32}$", body["trackingId"]!.GetValue<string>());
                Assert.NotEmpty(body["messages"]!.AsArray());
                break;
            case "talkover":
                Assert.Equal("""{"message":"Too Many Attempts."}""", text);
                break;
        }
    }

    [Fact]
    public async Task SailPoints_oauth_token_endpoint_shares_the_limit_and_answers_an_OAuth_error()
    {
        const string address = "198.51.100.200";
        var keyId = _factory.GetService<TokenHasher>().CurrentKeyId;
        for (var i = 0; i < Factory.PermitLimit; i++)
        {
            using var refused = await From(address).PostAsync("/oauth/token", Form("someone", TokenFormat.Generate("lk_", keyId)));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var limited = await From(address).PostAsync("/oauth/token", Form("someone", TokenFormat.Generate("lk_", keyId)));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        AssertRetryAfter(limited);
        var body = (await limited.JsonAsync())!.AsObject();
        Assert.Equal(["error", "error_description"], body.Select(p => p.Key).Order());
        Assert.Equal("temporarily_unavailable", body["error"]!.GetValue<string>());

        // …and the address is limited on every other route too.
        using var elsewhere = await From(address, Forged()).GetAsync("/api/tokens/self");
        Assert.Equal((HttpStatusCode)429, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_wrong_client_secret_sent_with_HTTP_Basic_to_oauth_token_counts_as_one_failure()
    {
        const string address = "198.51.100.201";
        var keyId = _factory.GetService<TokenHasher>().CurrentKeyId;
        for (var i = 0; i < Factory.PermitLimit; i++)
        {
            using var refused = await From(address).SendAsync(BasicTokenRequest("someone", TokenFormat.Generate("lk_", keyId)));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var limited = await From(address).SendAsync(BasicTokenRequest("someone", TokenFormat.Generate("lk_", keyId)));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
    }

    private static HttpRequestMessage BasicTokenRequest(string clientId, string clientSecret) => new(HttpMethod.Post, "/oauth/token")
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}"))) },
        Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
    };

    private static FormUrlEncodedContent Form(string clientId, string clientSecret) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = clientId,
        ["client_secret"] = clientSecret,
    });
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Authentication;

/// <summary>Every place a client may put its token, and which one counts when there are several.</summary>
public sealed class CredentialPositionTests : IClassFixture<CredentialPositionTests.Fixture>
{
    private readonly Fixture _fixture;

    public CredentialPositionTests(Fixture fixture) => _fixture = fixture;

    public sealed class Fixture : LatchkeyServerFactory
    {
        private JsonObject? _token;

        public async Task<(long Id, string Secret)> TokenAsync()
        {
            _token ??= await (await CreateAdminClientAsync()).CreateTokenAsync(new { name = "positions", scopes = new[] { "read_api" } });
            return (_token["id"]!.GetValue<long>(), _token["token"]!.GetValue<string>());
        }
    }

    private static string Basic(string userAndPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    public static TheoryData<string, string, string> Positions => new()
    {
        // header (or "query"), value template ({t} is the secret), description
        { "Authorization", "Bearer {t}", "bearer" },
        { "Authorization", "bearer {t}", "bearer, lower-case scheme" },
        { "Authorization", "BEARER {t}", "bearer, upper-case scheme" },
        { "Authorization", "Bearer {t} ", "bearer with a trailing space" },
        { "Authorization", "Bearer   {t}", "bearer with extra spaces" },
        { "PRIVATE-TOKEN", "{t}", "GitLab header" },
        { "private-token", "{t}", "GitLab header in lower case" },
        { "PRIVATE-TOKEN", "{t} ", "GitLab header with a trailing space" },
        { "PRIVATE-TOKEN", " {t}", "GitLab header with a leading space" },
        { "query", "private_token={t}", "query string" },
        { "query", "private_token={t}%20", "query string with a trailing space" },
        { "query", "search=x&private_token={t}", "query string among other parameters" },
        { "Authorization", "basic:anyone:{t}", "Basic, any username" },
        { "Authorization", "basic:oauth2:{t}", "Basic, GitLab's oauth2 username" },
        { "Authorization", "basic::{t}", "Basic, empty username" },
        { "Authorization", "{t}", "bare token (Unleash)" },
        { "Authorization", "{t} ", "bare token with a trailing space" },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public async Task A_token_is_accepted_in_every_usual_position(string header, string template, string description)
    {
        var (id, secret) = await _fixture.TokenAsync();
        using var request = Build(header, template, secret);
        using var response = await _fixture.CreateClient().SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{description}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(id, (await response.JsonAsync())!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Sanctums_id_pipe_token_form_works_with_the_right_id_only()
    {
        var (id, secret) = await _fixture.TokenAsync();
        using var right = await _fixture.CreateClient($"{id}|{secret}").GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);

        using var wrong = await _fixture.CreateClient($"{id + 1000}|{secret}").GetAsync("/api/tokens/self");
        await ProblemAssert.ProblemAsync(wrong, HttpStatusCode.Unauthorized);
        Assert.Contains("error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("Authorization", "Bearer {bad}", "PRIVATE-TOKEN", "{t}", HttpStatusCode.Unauthorized)]
    [InlineData("PRIVATE-TOKEN", "{t}", "query", "private_token={bad}", HttpStatusCode.OK)]
    [InlineData("PRIVATE-TOKEN", "{bad}", "query", "private_token={t}", HttpStatusCode.Unauthorized)]
    [InlineData("query", "private_token={t}", "Authorization", "basic:user:{bad}", HttpStatusCode.OK)]
    [InlineData("query", "private_token={bad}", "Authorization", "basic:user:{t}", HttpStatusCode.Unauthorized)]
    [InlineData("Authorization", "Bearer {t}", "query", "private_token={bad}", HttpStatusCode.OK)]
    public async Task The_first_credential_in_order_decides(string firstHeader, string first, string secondHeader, string second, HttpStatusCode expected)
    {
        var (_, secret) = await _fixture.TokenAsync();
        var bad = secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a');
        using var request = Build(firstHeader, first.Replace("{bad}", bad), secret);
        using var extra = Build(secondHeader, second.Replace("{bad}", bad), secret);
        foreach (var h in extra.Headers)
        {
            request.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }

        if (extra.RequestUri!.OriginalString.Contains('?'))
        {
            request.RequestUri = new Uri(extra.RequestUri.OriginalString, UriKind.Relative);
        }

        using var response = await _fixture.CreateClient().SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_session_token_works_in_every_position_too()
    {
        var session = await _fixture.AdminSessionAsync();
        foreach (var (header, template) in new[] { ("Authorization", "Bearer {t}"), ("PRIVATE-TOKEN", "{t}"), ("query", "private_token={t}"), ("Authorization", "basic:x:{t}"), ("Authorization", "{t}") })
        {
            using var request = Build(header, template, session);
            using var response = await _fixture.CreateClient().SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{header} {template}: {(int)response.StatusCode}");
        }
    }

    internal static HttpRequestMessage Build(string header, string template, string secret)
    {
        var value = template.Replace("{t}", secret);
        if (header == "query")
        {
            return new HttpRequestMessage(HttpMethod.Get, "/api/tokens/self?" + value);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/tokens/self");
        if (value.StartsWith("basic:", StringComparison.Ordinal))
        {
            value = Basic(value["basic:".Length..]);
        }

        Assert.True(request.Headers.TryAddWithoutValidation(header, value));
        return request;
    }
}

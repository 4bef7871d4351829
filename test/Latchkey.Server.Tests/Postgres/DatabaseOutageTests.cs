using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Stores;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Latchkey.Server.Tests.Postgres;

/// <summary>
/// What a client sees while the server cannot reach its PostgreSQL database (the relay to it cut: connections refused,
/// open ones reset) and once it can again: 503 with Retry-After in each API's own shape, never 500 or a stack trace;
/// tokens validated just before keep working until their cache age runs out; last use is written after recovery;
/// the node recovers by itself.
/// </summary>
public sealed class DatabaseOutageTests(RelayedPostgresServer database) : IClassFixture<RelayedPostgresServer>, IAsyncLifetime
{
    private const string Unavailable = "The database is unavailable; try again shortly.";

    private readonly RelayedPostgresServer.Server _server = database.Factory;

    [Fact]
    public async Task While_the_database_is_unreachable_every_request_that_needs_it_answers_503_with_retry_after_in_its_own_shape()
    {
        var user = await _server.CreateUserAsync();
        using var owner = _server.CreateClient(user);
        var cached = (await owner.CreateTokenAsync(new { name = "cached", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        var created = await owner.CreateTokenAsync(new { name = "never used", scopes = new[] { "api" } });
        var fresh = created["token"]!.GetValue<string>();
        using (var warm = await _server.CreateClient(cached).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        // A session nobody has used yet: the web UI must look it up.
        var session = await _server.CreateClient().SignInAsync(user.Username, user.Password);
        var logged = _server.Logs.Lines.Count;

        database.Cut();

        // The native API, whether the credential is cached (the store call fails in the endpoint) or not (it fails in
        // authentication: the server cannot say whether the token is valid, so not 401).
        using (var answer = await _server.CreateClient(cached).PostAsJsonAsync("/api/tokens", new { name = "during", scopes = new[] { "api" } }))
        {
            await AssertProblemAsync(answer);
        }

        using (var answer = await _server.CreateClient(fresh).GetAsync("/api/tokens"))
        {
            await AssertProblemAsync(answer);
        }

        using (var answer = await _server.CreateClient().PostAsJsonAsync("/api/session", new { username = user.Username, password = user.Password }))
        {
            await AssertProblemAsync(answer);
        }

        // The dialects, each in its product's words.
        using (var answer = await _server.CreateClient(fresh).GetAsync("/api/v4/personal_access_tokens"))
        {
            Assert.Equal("503 Service Unavailable", (await JsonBodyAsync(answer))["message"]!.GetValue<string>());
        }

        using (var answer = await _server.CreateClient(fresh).GetAsync("/api/admin/user/tokens"))
        {
            var body = await JsonBodyAsync(answer);
            Assert.Equal("InternalError", body["name"]!.GetValue<string>());
            Assert.Equal(Unavailable, body["message"]!.GetValue<string>());
        }

        using (var answer = await _server.CreateClient(fresh).GetAsync("/v3/personal-access-tokens"))
        {
            var body = await JsonBodyAsync(answer);
            Assert.Equal("503 Service Unavailable", body["detailCode"]!.GetValue<string>());
            Assert.Equal(Unavailable, body["causes"]![0]!["text"]!.GetValue<string>());
        }

        using (var answer = await _server.CreateClient(fresh).GetAsync("/api/v1/user/api-tokens"))
        {
            Assert.Equal("Service Unavailable", (await JsonBodyAsync(answer))["message"]!.GetValue<string>());
        }

        // OAuth: introspection (authenticated), revocation and SailPoint's token endpoint (anonymous), RFC 6749's words.
        using (var answer = await _server.CreateClient(fresh).PostAsync("/oauth/introspect", Form(("token", cached))))
        {
            await AssertOAuthAsync(answer);
        }

        using (var answer = await _server.CreateClient().PostAsync("/oauth/revoke", Form(("token", fresh))))
        {
            await AssertOAuthAsync(answer);
        }

        using (var answer = await _server.CreateClient().PostAsync("/oauth/token", Form(("grant_type", "client_credentials"), ("client_id", created["public_id"]?.GetValue<string>() ?? "x"), ("client_secret", fresh))))
        {
            await AssertOAuthAsync(answer);
        }

        // Forward-auth: its one-line message, for the proxy to pass on.
        using (var answer = await _server.CreateClient().SendAsync(Verify(fresh)))
        {
            AssertUnavailable(answer);
            Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Unavailable, answer.Headers.GetValues("X-Latchkey-Message").Single());
            Assert.Equal(Unavailable, (await answer.Content.ReadAsStringAsync()).Trim());
        }

        // The web UI: a plain page, not JSON, and no redirect to sign in (the session may well be valid).
        using (var browser = _server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }))
        using (var page = new HttpRequestMessage(HttpMethod.Get, "/-/user_settings/personal_access_tokens"))
        {
            page.Headers.Add("Cookie", $"latchkey_session={session}");
            page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            using var answer = await browser.SendAsync(page);
            AssertUnavailable(answer);
            Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
            var html = await answer.Content.ReadAsStringAsync();
            Assert.Contains(Unavailable, html);
            ProblemAssert.NoInternals(html);
        }

        using (var live = await _server.CreateClient().GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using (var ready = await _server.CreateClient().GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // One warning per refused request, without a stack trace, without the password; nothing logged as unhandled.
        var lines = _server.Logs.Lines.Skip(logged).ToList();
        Assert.Equal(12, lines.Count(line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("answered 503: the database is unavailable", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, line => line.Contains("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(database.Password, _server.Logs.AllText);

        await database.RestoreAsync();
        await WaitUntilReadyAsync();
        using (var again = await _server.CreateClient(fresh).PostAsJsonAsync("/api/tokens", new { name = "after", scopes = new[] { "api" } }))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }
    }

    [Fact]
    public async Task A_token_validated_before_the_outage_works_until_its_cache_age_runs_out_and_its_last_use_is_written_after()
    {
        using var admin = await _server.CreateAdminClientAsync();
        var cached = await admin.CreateTokenAsync(new { name = "cached", scopes = new[] { "read_api" } });
        var secret = cached["token"]!.GetValue<string>();
        var fresh = (await admin.CreateTokenAsync(new { name = "fresh", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();
        using (var warm = await _server.CreateClient(secret).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var logged = _server.Logs.Lines.Count;
        database.Cut();

        // Cached: both the API's "who am I" and forward-auth answer from memory, and the use (from an address of
        // its own) is recorded there.
        using (var self = await _server.CreateClient(secret).WithClientAddress("198.51.100.77").GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        }

        using (var verified = await _server.CreateClient().SendAsync(Verify(secret)))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            Assert.Equal("admin", verified.Headers.GetValues("X-Latchkey-User").Single());
        }

        // Not cached: the server cannot know, so it says so rather than 401.
        using (var unknown = await _server.CreateClient(fresh).GetAsync("/api/tokens/self"))
        {
            await AssertProblemAsync(unknown);
        }

        using (var unknown = await _server.CreateClient().SendAsync(Verify(fresh)))
        {
            AssertUnavailable(unknown);
        }

        // The batch with that use fails to be written, and stays queued.
        await PollAsync(() => _server.Logs.Lines.Skip(logged).Any(line => line.Contains("last-used records stay queued", StringComparison.Ordinal)), "no failed flush was logged");

        // Once its cache age has run out, the cached token needs the store too.
        _server.Clock.Advance(TimeSpan.FromSeconds(31));
        using (var aged = await _server.CreateClient(secret).GetAsync("/api/tokens/self"))
        {
            await AssertProblemAsync(aged);
        }

        await database.RestoreAsync();
        var tokens = _server.GetService<ITokenStore>();
        var id = cached["id"]!.GetValue<long>();
        await PollAsync(
            async () => (await tokens.FindAsync(id, CancellationToken.None))?.LastUsedIps.Contains("198.51.100.77") == true,
            "the use during the outage was never written");
        using (var after = await _server.CreateClient(secret).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
    }

    [Fact]
    public async Task Once_the_database_is_back_the_node_serves_again_without_a_restart()
    {
        using var admin = await _server.CreateAdminClientAsync();

        // Several idle connections in the pool, all of which the outage breaks.
        var requests = Enumerable.Range(0, 8).Select(async _ =>
        {
            using var client = await _server.CreateAdminClientAsync();
            using var answer = await client.GetAsync("/api/tokens?per_page=100");
            return answer.StatusCode;
        });
        Assert.All(await Task.WhenAll(requests), status => Assert.Equal(HttpStatusCode.OK, status));

        database.Cut();
        database.Relay.Restore();

        // The first request may meet a broken connection (503, and the pool is emptied); every later one is served.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var answer = await admin.GetAsync("/api/tokens?per_page=100");
            statuses.Add(answer.StatusCode);
        }

        Assert.All(statuses.Skip(1), status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Contains(statuses[0], new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
        using var ready = await _server.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // Whatever a test did, the next one starts with the database reachable and the server listening for changes.
    public Task DisposeAsync() => database.RestoreAsync();

    private static void AssertUnavailable(HttpResponseMessage answer)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), answer.Headers.RetryAfter?.Delta);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage answer)
    {
        AssertUnavailable(answer);
        var problem = await ProblemAssert.ProblemAsync(answer, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(Unavailable, problem["detail"]!.GetValue<string>());
    }

    private static async Task AssertOAuthAsync(HttpResponseMessage answer)
    {
        var body = await JsonBodyAsync(answer);
        Assert.Equal("temporarily_unavailable", body["error"]!.GetValue<string>());
        Assert.Equal(Unavailable, body["error_description"]!.GetValue<string>());
    }

    private static async Task<JsonObject> JsonBodyAsync(HttpResponseMessage answer)
    {
        AssertUnavailable(answer);
        var text = await answer.Content.ReadAsStringAsync();
        ProblemAssert.NoInternals(text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields)
        => new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    private static HttpRequestMessage Verify(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify");
        request.Headers.TryAddWithoutValidation("X-Original-Method", "GET");
        request.Headers.TryAddWithoutValidation("X-Original-URI", "/app/reports");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task WaitUntilReadyAsync()
        => await PollAsync(
            async () =>
            {
                using var ready = await _server.CreateClient().GetAsync("/health/ready");
                return ready.StatusCode == HttpStatusCode.OK;
            },
            "/health/ready did not pass once the database was back");

    private static Task PollAsync(Func<bool> condition, string failure) => PollAsync(() => Task.FromResult(condition()), failure);

    private static async Task PollAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}

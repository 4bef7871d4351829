using System.Net;
using System.Net.Http.Json;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests;

/// <summary>
/// With every log category turned up to Trace, a day's work — signing in, creating, using (in every credential
/// position), rotating and revoking tokens — leaves no secret, session token or password in the logs, while
/// request logging still records each request with its query string redacted.
/// </summary>
public sealed class SecretsInLogsTests : IClassFixture<SecretsInLogsTests.Factory>
{
    private readonly Factory _factory;

    public SecretsInLogsTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.HttpLogging"] = "Trace",
        };
    }

    [Fact]
    public async Task No_secret_reaches_the_logs_but_requests_are_logged_with_the_query_redacted()
    {
        var secrets = new List<string>();
        const string userPassword = "user-password-not-for-logs";
        const string wrongPassword = "wrong-password-not-for-logs";

        // Sign in (the password and the session are secrets), create a user, fail a sign-in.
        var session = await _factory.CreateClient().SignInAsync();
        secrets.Add(session);
        var admin = _factory.CreateClient(session);
        using (var user = await admin.PostAsJsonAsync("/api/users", new { username = "logged", password = userPassword }))
        {
            Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        }

        var userSession = await _factory.CreateClient().SignInAsync("logged", userPassword);
        secrets.Add(userSession);
        using (var failed = await _factory.CreateClient().PostAsJsonAsync("/api/session", new { username = "logged", password = wrongPassword }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        // Create, and use the token in every position.
        var token = await admin.CreateTokenAsync(new { name = "logged", scopes = new[] { "api" } });
        var secret = token["token"]!.GetValue<string>();
        secrets.Add(secret);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"git:{secret}"));
        foreach (var (header, value) in new[] { ("Authorization", $"Bearer {secret}"), ("PRIVATE-TOKEN", secret), ("Authorization", $"Basic {basic}"), ("Authorization", secret) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tokens/self");
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await _factory.CreateClient().SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var query = await _factory.CreateClient().GetAsync($"/api/tokens/self?private_token={secret}"))
        {
            Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        }

        using (var list = await _factory.CreateClient().GetAsync($"/api/tokens?per_page=1&private_token={secret}&search=logged"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        // A bad token is a secret too (one typo from a real one).
        var typo = secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a');
        using (var bad = await _factory.CreateClient().GetAsync($"/api/tokens/self?private_token={typo}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        }

        // Rotate by id and by self, then revoke by value.
        using (var rotate = await _factory.CreateClient(secret).PostAsync($"/api/tokens/{token["id"]}/rotate", null))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
            secrets.Add((await rotate.JsonAsync())!["token"]!.GetValue<string>());
        }

        using (var rotateSelf = await _factory.CreateClient(secrets[^1]).PostAsJsonAsync("/api/tokens/self/rotate", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, rotateSelf.StatusCode);
            secrets.Add((await rotateSelf.JsonAsync())!["token"]!.GetValue<string>());
        }

        using (var revoke = await admin.PostAsJsonAsync("/api/tokens/revoke", new { token = secrets[^1] }))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var signOut = await _factory.CreateClient(userSession).DeleteAsync("/api/session"))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }

        var logs = _factory.Logs.AllText;
        foreach (var s in secrets.Append(typo))
        {
            Assert.DoesNotContain(s, logs);
            Assert.DoesNotContain(s[3..23], logs); // the random part, in case something strips the prefix
        }

        Assert.DoesNotContain(basic, logs);
        Assert.DoesNotContain(LatchkeyServerFactory.AdminPassword, logs);
        Assert.DoesNotContain(userPassword, logs);
        Assert.DoesNotContain(wrongPassword, logs);

        // …and yet the requests were logged, query strings included, with the credential masked.
        Assert.Contains("/api/tokens/self", logs);
        Assert.Contains("/api/tokens/revoke", logs);
        Assert.Contains("private_token=[Redacted]", logs);
        Assert.Contains("search=logged", logs);
    }
}

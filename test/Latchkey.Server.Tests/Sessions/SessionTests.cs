using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Sessions;

/// <summary><c>POST</c> and <c>DELETE /api/session</c>: signing in and out, and throttling failed sign-ins.</summary>
public sealed class SessionTests : IClassFixture<SessionTests.Factory>
{
    private readonly Factory _factory;

    public SessionTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        public const int MaxFailures = 3;
        public const int MaxFailuresPerAddress = 6;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:SignIn:MaxFailures"] = MaxFailures.ToString(CultureInfo.InvariantCulture),
            ["Latchkey:SignIn:MaxFailuresPerAddress"] = MaxFailuresPerAddress.ToString(CultureInfo.InvariantCulture),
            ["Latchkey:SignIn:Window"] = "00:10:00",
        };
    }

    [Fact]
    public async Task Signing_in_answers_201_with_only_a_token_and_an_expiry_twelve_hours_ahead()
    {
        var before = DateTimeOffset.UtcNow;
        using var response = await _factory.CreateClient().WithClientAddress("198.51.100.1")
            .PostAsJsonAsync("/api/session", new { username = "admin", password = LatchkeyServerFactory.AdminPassword });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "a response carrying a secret must not be cached");
        var body = (await response.JsonAsync())!.AsObject();
        Assert.Equal(["expires_at", "token"], body.Select(p => p.Key).Order());
        Assert.StartsWith("lk_", body["token"]!.GetValue<string>());
        var expiresAt = DateTimeOffset.Parse(body["expires_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt, before.AddHours(12).AddSeconds(-5), DateTimeOffset.UtcNow.AddHours(12).AddSeconds(5));
        Assert.EndsWith("Z", body["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_session_is_accepted_where_a_token_is_and_carries_the_users_rights()
    {
        var session = await _factory.CreateClient().WithClientAddress("198.51.100.2").SignInAsync();
        var client = _factory.CreateClient(session);

        using var me = await client.GetAsync("/api/user");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("admin", (await me.JsonAsync())!["username"]!.GetValue<string>());

        // Administrators' endpoints and writes: a session holds everything its user may do.
        using var users = await client.GetAsync("/api/users");
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        using var created = await client.PostAsJsonAsync("/api/tokens", new { name = "from a session", scopes = new[] { "api" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_401()
    {
        using var unknown = await _factory.CreateClient().WithClientAddress("198.51.100.3")
            .PostAsJsonAsync("/api/session", new { username = "nobody-here", password = "whatever-it-is-long" });
        using var wrong = await _factory.CreateClient().WithClientAddress("198.51.100.4")
            .PostAsJsonAsync("/api/session", new { username = "admin", password = "not-the-right-password" });

        var body = await ProblemAssert.ProblemAsync(unknown, HttpStatusCode.Unauthorized);
        await ProblemAssert.ProblemAsync(wrong, HttpStatusCode.Unauthorized);
        await ProblemAssert.SameAnswerAsync(unknown, wrong);
        Assert.DoesNotContain("user", body["detail"]?.GetValue<string>() ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Repeated_failures_at_one_username_from_one_client_answer_429_with_Retry_After_while_other_clients_still_sign_in()
    {
        var attacker = _factory.CreateClient().WithClientAddress("203.0.113.66");
        for (var i = 0; i < Factory.MaxFailures; i++)
        {
            using var failed = await attacker.PostAsJsonAsync("/api/session", new { username = "admin", password = $"guess-number-{i}-xxxx" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var limited = await attacker.PostAsJsonAsync("/api/session", new { username = "admin", password = "guess-number-4-xxxx" });
        await ProblemAssert.ProblemAsync(limited, (HttpStatusCode)429);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } after && after > TimeSpan.Zero, $"Retry-After: '{limited.Headers.RetryAfter}'");

        // Even the right password, and in the same words as a wrong one: otherwise guessing would simply go on.
        using var right = await attacker.PostAsJsonAsync("/api/session", new { username = "admin", password = LatchkeyServerFactory.AdminPassword });
        await ProblemAssert.SameAnswerAsync(limited, right);

        // The username is matched ignoring case, so changing its case starts no fresh count.
        using var shouted = await attacker.PostAsJsonAsync("/api/session", new { username = "ADMIN", password = "guess-number-5-xxxx" });
        Assert.Equal((HttpStatusCode)429, shouted.StatusCode);

        using var elsewhere = await _factory.CreateClient().WithClientAddress("203.0.113.67")
            .PostAsJsonAsync("/api/session", new { username = "admin", password = LatchkeyServerFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Another_user_behind_the_same_address_still_signs_in_after_someone_is_locked_out_there()
    {
        var colleague = await _factory.CreateUserAsync();
        var office = _factory.CreateClient().WithClientAddress("203.0.113.70");
        for (var i = 0; i < Factory.MaxFailures; i++)
        {
            using var failed = await office.PostAsJsonAsync("/api/session", new { username = "admin", password = $"office-guess-{i}-xxxx" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using (var locked = await office.PostAsJsonAsync("/api/session", new { username = "admin", password = LatchkeyServerFactory.AdminPassword }))
        {
            Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        }

        await office.SignInAsync(colleague.Username, colleague.Password);

        // The account itself is not locked either: its owner signs in from anywhere else.
        await _factory.CreateClient().WithClientAddress("203.0.113.71").SignInAsync();
    }

    [Fact]
    public async Task One_address_trying_passwords_across_many_usernames_is_stopped_by_the_looser_per_address_limit()
    {
        var sprayer = _factory.CreateClient().WithClientAddress("203.0.113.72");
        for (var i = 0; i < Factory.MaxFailuresPerAddress; i++)
        {
            using var failed = await sprayer.PostAsJsonAsync("/api/session", new { username = $"victim{i}", password = "Summer2026!-spray" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var limited = await sprayer.PostAsJsonAsync("/api/session", new { username = "admin", password = LatchkeyServerFactory.AdminPassword });
        await ProblemAssert.ProblemAsync(limited, (HttpStatusCode)429);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: '{limited.Headers.RetryAfter}'");
    }

    [Fact]
    public async Task Successful_sign_ins_do_not_count_towards_the_limit()
    {
        var client = _factory.CreateClient().WithClientAddress("198.51.100.5");
        for (var i = 0; i < Factory.MaxFailures + 2; i++)
        {
            await client.SignInAsync();
        }
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_next_request()
    {
        var session = await _factory.CreateClient().WithClientAddress("198.51.100.6").SignInAsync();
        var client = _factory.CreateClient(session);
        using (var before = await client.GetAsync("/api/user"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var signOut = await client.DeleteAsync("/api/session"))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
            Assert.Empty(await signOut.Content.ReadAsByteArrayAsync());
        }

        using var after = await client.GetAsync("/api/user");
        await ProblemAssert.ProblemAsync(after, HttpStatusCode.Unauthorized);
        Assert.Contains("error=\"invalid_token\"", after.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Signing_out_with_a_personal_access_token_is_refused_and_leaves_it_working()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var token = (await admin.CreateTokenAsync(new { name = "not a session", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        var client = _factory.CreateClient(token);

        using var signOut = await client.DeleteAsync("/api/session");
        await ProblemAssert.ProblemAsync(signOut, HttpStatusCode.BadRequest);

        using var still = await client.GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Signing_out_without_a_credential_is_a_401_challenge()
    {
        using var response = await _factory.CreateClient().DeleteAsync("/api/session");
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_new_session_token_differs_from_every_earlier_one()
    {
        var client = _factory.CreateClient().WithClientAddress("198.51.100.7");
        var first = await client.SignInAsync();
        var second = await client.SignInAsync();
        Assert.NotEqual(first, second);
    }
}

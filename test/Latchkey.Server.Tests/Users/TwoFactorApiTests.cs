using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Users;

/// <summary>
/// <c>/api/user/two_factor</c>, the administrator's reset, and what two-factor authentication does to signing in:
/// <c>otp_required</c>, codes used once, recovery codes, HTTP Basic with a password refused, tokens still working.
/// </summary>
public sealed class TwoFactorApiTests : IClassFixture<TwoFactorApiTests.Factory>
{
    private readonly Factory _factory;

    public TwoFactorApiTests(Factory factory) => _factory = factory;

    public sealed class Factory : AdjustableClockServerFactory
    {
        public const int MaxFailures = 3;

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:SignIn:MaxFailures"] = MaxFailures.ToString(CultureInfo.InvariantCulture),
            ["Latchkey:SignIn:MaxFailuresPerAddress"] = "1000",
            ["Latchkey:SignIn:Window"] = "00:10:00",
        };
    }

    [Fact]
    public async Task Enrolling_returns_the_key_and_its_uri_once_and_a_current_code_turns_it_on_with_ten_recovery_codes()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);

        using var started = await client.PostAsync("/api/user/two_factor", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.True(started.Headers.CacheControl?.NoStore);
        var enrolment = (await started.JsonAsync())!.AsObject();
        Assert.Equal(["otpauth_uri", "secret"], enrolment.Select(p => p.Key).Order());
        var secret = enrolment["secret"]!.GetValue<string>();
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        Assert.Equal($"otpauth://totp/Latchkey:{user.Username}?secret={secret}&issuer=Latchkey", enrolment["otpauth_uri"]!.GetValue<string>());
        Assert.Equal("""{"enabled":false,"enabled_at":null,"enrolment_pending":true,"recovery_codes_left":0}""", await client.GetStringAsync("/api/user/two_factor"));

        using var confirmed = await client.PostAsJsonAsync("/api/user/two_factor/confirm", new { otp = _factory.CodeNow(secret) });

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.True(confirmed.Headers.CacheControl?.NoStore);
        var codes = (await confirmed.JsonAsync())!["recovery_codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[0-9a-z]{5}-[0-9a-z]{5}$", code));
        var status = (await (await client.GetAsync("/api/user/two_factor")).JsonAsync())!;
        Assert.True(status["enabled"]!.GetValue<bool>());
        Assert.Equal(10, status["recovery_codes_left"]!.GetValue<int>());
        Assert.True((await (await client.GetAsync("/api/user")).JsonAsync())!["two_factor_enabled"]!.GetValue<bool>());

        using var again = await client.PostAsync("/api/user/two_factor", null);
        await ProblemAssert.ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Confirming_refuses_bad_input_with_400_and_a_wrong_code_with_422_both_keyed_by_otp()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        using var started = await client.PostAsync("/api/user/two_factor", null);
        var secret = (await started.JsonAsync())!["secret"]!.GetValue<string>();
        var wrong = _factory.CodeNow(secret) == "000000" ? "111111" : "000000";

        using var missing = await client.PostAsJsonAsync("/api/user/two_factor/confirm", new { });
        using var number = await client.SendRawAsync(HttpMethod.Post, "/api/user/two_factor/confirm", """{"otp": 123456}""");
        using var tooLong = await client.PostAsJsonAsync("/api/user/two_factor/confirm", new { otp = new string('1', 65) });
        using var notJson = await client.SendRawAsync(HttpMethod.Post, "/api/user/two_factor/confirm", "{\"otp\":");
        using var incorrect = await client.PostAsJsonAsync("/api/user/two_factor/confirm", new { otp = wrong });

        await ProblemAssert.ValidationAsync(missing, "otp");
        await ProblemAssert.ValidationAsync(number, "otp");
        await ProblemAssert.ValidationAsync(tooLong, "otp");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var problem = await ProblemAssert.ProblemAsync(incorrect, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("current code", problem["errors"]!["otp"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False((await (await client.GetAsync("/api/user/two_factor")).JsonAsync())!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_personal_access_token_cannot_read_or_change_two_factor_settings()
    {
        var user = await _factory.CreateUserAsync();
        var pat = (await _factory.CreateClient(user).CreateTokenAsync(new { name = "everything", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        var client = _factory.CreateClient(pat);

        using var status = await client.GetAsync("/api/user/two_factor");
        using var start = await client.PostAsync("/api/user/two_factor", null);
        using var disable = await client.SendAsync(ApiClient.Json(HttpMethod.Delete, "/api/user/two_factor", """{"password":"another-long-passphrase"}"""));

        foreach (var response in new[] { status, start, disable })
        {
            var problem = await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Contains("session", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(0, (await (await _factory.CreateClient(user).GetAsync("/api/user/two_factor")).JsonAsync())!["recovery_codes_left"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_password_sign_in_without_a_code_answers_401_otp_required_and_a_wrong_code_answers_like_a_wrong_password()
    {
        var user = await _factory.CreateUserAsync();
        await _factory.EnrolAsync(user);
        var client = _factory.CreateClient().WithClientAddress("192.0.2.10");

        using var withoutCode = await client.SignInWithAsync(user.Username, user.Password);
        using var wrongCode = await client.SignInWithAsync(user.Username, user.Password, "abcde-fghjk");
        using var wrongPassword = await client.SignInWithAsync(user.Username, "not-the-password-at-all", "123456");

        var problem = await ProblemAssert.ProblemAsync(withoutCode, HttpStatusCode.Unauthorized);
        Assert.Equal("otp_required", problem["error"]!.GetValue<string>());
        Assert.Null(problem["token"]);
        await ProblemAssert.SameAnswerAsync(wrongPassword, wrongCode);
    }

    [Fact]
    public async Task A_current_code_signs_in_once_and_a_recovery_code_once()
    {
        var user = await _factory.CreateUserAsync();
        var (secret, recoveryCodes) = await _factory.EnrolAsync(user);
        var client = _factory.CreateClient().WithClientAddress("192.0.2.11");
        var code = _factory.CodeNow(secret);

        using var first = await client.SignInWithAsync(user.Username, user.Password, code);
        using var replayed = await client.SignInWithAsync(user.Username, user.Password, code);
        using var recovery = await client.SignInWithAsync(user.Username, user.Password, recoveryCodes[0].ToUpperInvariant());
        using var recoveryAgain = await client.SignInWithAsync(user.Username, user.Password, recoveryCodes[0]);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var session = (await first.JsonAsync())!["token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient(session).GetAsync("/api/user")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, recovery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, recoveryAgain.StatusCode);
        Assert.Equal(9, (await (await _factory.CreateClient(user).GetAsync("/api/user/two_factor")).JsonAsync())!["recovery_codes_left"]!.GetValue<int>());
    }

    [Fact]
    public async Task Basic_with_the_password_is_refused_saying_a_personal_access_token_is_required_while_the_token_works()
    {
        var user = await _factory.CreateUserAsync();
        await _factory.EnrolAsync(user);
        var pat = (await _factory.CreateClient(user).CreateTokenAsync(new { name = "git", scopes = new[] { "api" } }))["token"]!.GetValue<string>();

        using var native = await Basic(user.Username, user.Password).GetAsync("/api/user");
        using var gitLab = await Basic(user.Username, user.Password).GetAsync("/api/v4/user");
        using var withToken = await Basic(user.Username, pat).GetAsync("/api/user");
        using var gitLabWithToken = await Basic(user.Username, pat).GetAsync("/api/v4/user");
        using var bearer = await _factory.CreateClient(pat).GetAsync("/api/user");

        var problem = await ProblemAssert.ProblemAsync(native, HttpStatusCode.Unauthorized);
        Assert.Equal("personal_access_token_required", problem["error"]!.GetValue<string>());
        Assert.Contains("personal access token", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, gitLab.StatusCode);
        Assert.Contains("personal access token", (await gitLab.JsonAsync())!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gitLabWithToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    [Fact]
    public async Task Basic_with_a_mistyped_token_still_gets_the_plain_invalid_token_answer()
    {
        var user = await _factory.CreateUserAsync();
        var pat = (await _factory.CreateClient(user).CreateTokenAsync(new { name = "git", scopes = new[] { "api" } }))["token"]!.GetValue<string>();
        var mistyped = pat[..^1] + (pat[^1] == 'a' ? 'b' : 'a');

        using var refused = await Basic(user.Username, mistyped).GetAsync("/api/user");

        var problem = await ProblemAssert.ProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Null(problem["error"]);
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_second_factors_are_limited_per_user_whatever_the_address()
    {
        var user = await _factory.CreateUserAsync();
        var (secret, _) = await _factory.EnrolAsync(user);

        for (var i = 0; i < Factory.MaxFailures; i++)
        {
            using var wrong = await _factory.CreateClient().WithClientAddress($"203.0.113.{i + 1}").SignInWithAsync(user.Username, user.Password, "abcde-fghjk");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var limited = await _factory.CreateClient().WithClientAddress("203.0.113.99").SignInWithAsync(user.Username, user.Password, _factory.CodeNow(secret));
        using var settings = await _factory.CreateClient(user).SendAsync(ApiClient.Json(HttpMethod.Delete, "/api/user/two_factor", $$"""{"otp":"{{_factory.CodeNow(secret)}}"}"""));

        await ProblemAssert.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        await ProblemAssert.ProblemAsync(settings, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Disabling_needs_a_current_code_or_the_password_and_then_the_password_alone_signs_in()
    {
        var user = await _factory.CreateUserAsync();
        var (secret, _) = await _factory.EnrolAsync(user);
        var client = _factory.CreateClient(user);

        using var nothing = await client.SendAsync(ApiClient.Json(HttpMethod.Delete, "/api/user/two_factor", "{}"));
        using var both = await client.SendAsync(ApiClient.Json(HttpMethod.Delete, "/api/user/two_factor", $$"""{"otp":"{{_factory.CodeNow(secret)}}","password":"{{user.Password}}"}"""));
        using var wrongPassword = await client.SendAsync(ApiClient.Json(HttpMethod.Delete, "/api/user/two_factor", """{"password":"not-the-password-at-all"}"""));
        using var disabled = await client.SendAsync(ApiClient.Json(HttpMethod.Delete, "/api/user/two_factor", $$"""{"password":"{{user.Password}}"}"""));

        await ProblemAssert.ValidationAsync(nothing, "otp");
        await ProblemAssert.ValidationAsync(both, "otp");
        var problem = await ProblemAssert.ProblemAsync(wrongPassword, HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(problem["errors"]!["password"]);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        using var signIn = await _factory.CreateClient().WithClientAddress("192.0.2.12").SignInWithAsync(user.Username, user.Password);
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
        using var again = await client.SendAsync(ApiClient.Json(HttpMethod.Delete, "/api/user/two_factor", $$"""{"password":"{{user.Password}}"}"""));
        await ProblemAssert.ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones()
    {
        var user = await _factory.CreateUserAsync();
        var (secret, old) = await _factory.EnrolAsync(user);
        var client = _factory.CreateClient(user);

        using var regenerated = await client.PostAsJsonAsync("/api/user/two_factor/recovery_codes", new { otp = _factory.CodeNow(secret) });

        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);
        Assert.True(regenerated.Headers.CacheControl?.NoStore);
        var fresh = (await regenerated.JsonAsync())!["recovery_codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Equal(10, fresh.Length);
        var signIn = _factory.CreateClient().WithClientAddress("192.0.2.13");
        using var withOld = await signIn.SignInWithAsync(user.Username, user.Password, old[1]);
        using var withNew = await signIn.SignInWithAsync(user.Username, user.Password, fresh[1]);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        Assert.Equal(HttpStatusCode.Created, withNew.StatusCode);
    }

    [Fact]
    public async Task An_administrator_resets_a_users_two_factor_and_nobody_else_can()
    {
        var user = await _factory.CreateUserAsync();
        await _factory.EnrolAsync(user);
        var other = await _factory.CreateUserAsync();
        var admin = await _factory.CreateAdminClientAsync();

        using var byUser = await _factory.CreateClient(other).DeleteAsync($"/api/users/{user.Id}/two_factor");
        using var own = await admin.DeleteAsync("/api/users/1/two_factor");
        using var reset = await admin.DeleteAsync($"/api/users/{user.Id}/two_factor");
        using var unknown = await admin.DeleteAsync("/api/users/987654321/two_factor");

        await ProblemAssert.ProblemAsync(byUser, HttpStatusCode.Forbidden);
        await ProblemAssert.ProblemAsync(own, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False((await reset.JsonAsync())!["two_factor_enabled"]!.GetValue<bool>());
        await ProblemAssert.ProblemAsync(unknown, HttpStatusCode.NotFound);
        using var signIn = await _factory.CreateClient().WithClientAddress("192.0.2.14").SignInWithAsync(user.Username, user.Password);
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
    }

    private HttpClient Basic(string username, string password)
    {
        var client = _factory.CreateClient().WithClientAddress("192.0.2.50");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return client;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Users;

/// <summary>
/// <c>Latchkey:TwoFactor:Required</c>: sign-in works during the grace period and says when enrolment is due; after
/// it, a password yields a short session that can only enrol, and enrolling lifts the limit.
/// </summary>
public sealed class TwoFactorPolicyTests : IClassFixture<TwoFactorPolicyTests.Factory>
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromMinutes(10);

    private readonly Factory _factory;

    public TwoFactorPolicyTests(Factory factory) => _factory = factory;

    public sealed class Factory : AdjustableClockServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:TwoFactor:Required"] = "true",
            ["Latchkey:TwoFactor:GracePeriod"] = GracePeriod.ToString("c", CultureInfo.InvariantCulture),
        };
    }

    [Fact]
    public async Task During_the_grace_period_sign_in_says_when_enrolment_is_due_and_after_it_only_enrolment_is_possible()
    {
        var user = await _factory.CreateUserAsync();
        var firstSignIn = _factory.Clock.GetUtcNow();
        var client = _factory.CreateClient();

        using var during = await client.SignInWithAsync(user.Username, user.Password);
        Assert.Equal(HttpStatusCode.Created, during.StatusCode);
        var body = (await during.JsonAsync())!;
        var dueBy = DateTimeOffset.Parse(body["two_factor_due_by"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.InRange(dueBy, firstSignIn.Add(GracePeriod).AddSeconds(-5), firstSignIn.Add(GracePeriod).AddSeconds(5));
        Assert.False(body["two_factor_enrolment_only"]!.GetValue<bool>());
        var fullSession = body["token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient(fullSession).GetAsync("/api/tokens")).StatusCode);

        _factory.Clock.Advance(GracePeriod);
        using var after = await client.SignInWithAsync(user.Username, user.Password);
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        var limited = (await after.JsonAsync())!;
        Assert.True(limited["two_factor_enrolment_only"]!.GetValue<bool>());
        var expiresAt = DateTimeOffset.Parse(limited["expires_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.True(expiresAt <= _factory.Clock.GetUtcNow().AddMinutes(16), $"an enrolment session is short-lived, not {expiresAt}");
        var enrolOnly = _factory.CreateClient(limited["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await enrolOnly.GetAsync("/api/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await enrolOnly.PostAsJsonAsync("/api/tokens", new { name = "sneaky", scopes = new[] { "api" } })).StatusCode);

        using var started = await enrolOnly.PostAsync("/api/user/two_factor", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var secret = (await started.JsonAsync())!["secret"]!.GetValue<string>();
        using var confirmed = await enrolOnly.PostAsJsonAsync("/api/user/two_factor/confirm", new { otp = _factory.CodeNow(secret) });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        _factory.Clock.Advance(TimeSpan.FromSeconds(30));
        using var enrolled = await client.SignInWithAsync(user.Username, user.Password, _factory.CodeNow(secret));
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var full = (await enrolled.JsonAsync())!.AsObject();
        Assert.Equal(["expires_at", "token"], full.Select(p => p.Key).Order());
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient(full["token"]!.GetValue<string>()).GetAsync("/api/tokens")).StatusCode);
    }

    [Fact]
    public async Task In_the_browser_a_user_past_the_grace_period_is_sent_to_enrol_from_every_page()
    {
        var user = await _factory.CreateUserAsync();
        _factory.Clock.Advance(GracePeriod);
        var browser = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var form = await browser.GetAsync("/users/sign_in");
        var antiforgery = Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var signIn = await browser.PostAsync("/users/sign_in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = user.Username,
            ["password"] = user.Password,
            ["__RequestVerificationToken"] = antiforgery,
        }));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith("/-/profile/two_factor_auth", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var tokensPage = await browser.GetAsync("/-/user_settings/personal_access_tokens");
        Assert.Equal(HttpStatusCode.Redirect, tokensPage.StatusCode);
        Assert.Equal("/-/profile/two_factor_auth", tokensPage.Headers.Location!.OriginalString);
        using var enrolPage = await browser.GetAsync("/-/profile/two_factor_auth");
        Assert.Equal(HttpStatusCode.OK, enrolPage.StatusCode);
        Assert.Contains("Set it up to continue", await enrolPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

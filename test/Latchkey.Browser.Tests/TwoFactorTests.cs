using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using OtpNet;

namespace Latchkey.Browser.Tests;

/// <summary>
/// Two-factor authentication as a person sets it up and signs in with it: the key read off the page into an
/// "authenticator" (Otp.NET, in the test), the second sign-in step, codes used once, recovery codes, and what
/// scripts see — password sign-in refused with <c>otp_required</c>, Basic with the password refused, the token working.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoFactorTests
{
    private const string TwoFactorPath = "/-/profile/two_factor_auth";

    private readonly BrowserFixture _fixture;

    public TwoFactorTests(BrowserFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Enrol_from_the_shown_key_then_sign_in_with_a_code_once_and_a_recovery_code_once()
    {
        var (page, user) = await _fixture.SignedInPageAsync();

        var status = await page.GotoAsync(TwoFactorPath);
        Assert.Equal(200, status!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#two-factor-status")).ToContainTextAsync("Not enabled");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Enable two-factor authentication" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new("QR code") })).ToBeVisibleAsync();
        var shownKey = await page.GetByLabel("Key to enter in your app").InputValueAsync();
        Assert.Matches("^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$", shownKey);
        Assert.StartsWith("data:image/png;base64,", await page.GetByRole(AriaRole.Img, new() { NameRegex = new("QR code") }).GetAttributeAsync("src"));
        await SaveAsync(page, "two-factor-enable");
        var reloaded = await page.ReloadAsync();
        Assert.Contains("no-store", reloaded!.Headers["cache-control"], StringComparison.Ordinal);
        Assert.Equal(shownKey, await page.GetByLabel("Key to enter in your app").InputValueAsync());
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        var key = shownKey.Replace(" ", string.Empty, StringComparison.Ordinal);
        await page.GetByLabel("Verification code").FillAsync(CodeNow(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Register with two-factor app" }).ClickAsync();

        var codesField = page.GetByLabel("Recovery codes", new() { Exact = true });
        await Assertions.Expect(codesField).ToBeVisibleAsync();
        var recoveryCodes = (await codesField.InputValueAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, recoveryCodes.Length);
        await Assertions.Expect(page.Locator("#two-factor-status")).ToContainTextAsync("Enabled");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await SaveAsync(page, "two-factor-recovery-codes");

        // Shown once: the page without the post has no codes and no key.
        await page.GotoAsync(TwoFactorPath);
        Assert.DoesNotContain(recoveryCodes[0], await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(shownKey, await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#two-factor-status")).ToContainTextAsync("10 of 10 recovery codes left");
        await SaveAsync(page, "two-factor-enabled");

        // A new step, so the enrolment's own code is not the one asked for.
        _fixture.Server.Clock.Advance(TimeSpan.FromSeconds(30));
        await SignOutAsync(page);
        await SignInWithPasswordAsync(page, user);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await SaveAsync(page, "sign-in-two-factor");
        var code = CodeNow(key);
        await EnterCodeAsync(page, code);
        await page.WaitForURLAsync("**/-/user_settings/personal_access_tokens");

        await SignOutAsync(page);
        await SignInWithPasswordAsync(page, user);
        await EnterCodeAsync(page, code);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Invalid authentication code.");
        Assert.Contains("/users/sign_in/two_factor", page.Url, StringComparison.Ordinal);

        await EnterCodeAsync(page, recoveryCodes[0]);
        await page.WaitForURLAsync("**/-/user_settings/personal_access_tokens");
        await SignOutAsync(page);
        await SignInWithPasswordAsync(page, user);
        await EnterCodeAsync(page, recoveryCodes[0]);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Invalid authentication code.");
    }

    [Fact]
    public async Task With_two_factor_scripts_need_a_token_password_sign_in_and_basic_are_refused_and_the_token_works()
    {
        var (page, user) = await _fixture.SignedInPageAsync();
        var key = await EnrolAsync(page);
        _fixture.Server.Clock.Advance(TimeSpan.FromSeconds(30));

        using var anonymous = _fixture.CreateClient();
        using var passwordOnly = await anonymous.PostAsJsonAsync("/api/session", new { username = user.Username, password = user.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, passwordOnly.StatusCode);
        Assert.Equal("otp_required", JsonNode.Parse(await passwordOnly.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());

        using var withCode = await anonymous.PostAsJsonAsync("/api/session", new { username = user.Username, password = user.Password, otp = CodeNow(key) });
        Assert.Equal(HttpStatusCode.Created, withCode.StatusCode);
        var session = JsonNode.Parse(await withCode.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
        var pat = (await _fixture.CreateTokenAsync(session, new { name = "git", scopes = new[] { "api" } }))["token"]!.GetValue<string>();

        using var basicPassword = await BasicAsync(user.Username, user.Password);
        using var basicToken = await BasicAsync(user.Username, pat);
        Assert.Equal(HttpStatusCode.Unauthorized, basicPassword.StatusCode);
        Assert.Contains("personal access token", await basicPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, basicToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _fixture.CurrentUserAsync(pat)).Status);
    }

    [Fact]
    public async Task Recovery_codes_are_regenerated_and_two_factor_disabled_with_the_password_from_the_page()
    {
        var (page, user) = await _fixture.SignedInPageAsync();
        await EnrolAsync(page);

        var regenerate = page.GetByRole(AriaRole.Region, new() { Name = "Regenerate recovery codes" });
        await regenerate.GetByLabel("Or your password").FillAsync("not-the-password-at-all");
        await regenerate.GetByRole(AriaRole.Button, new() { Name = "Regenerate recovery codes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not your password.");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        regenerate = page.GetByRole(AriaRole.Region, new() { Name = "Regenerate recovery codes" });
        await regenerate.GetByLabel("Or your password").FillAsync(user.Password);
        await regenerate.GetByRole(AriaRole.Button, new() { Name = "Regenerate recovery codes" }).ClickAsync();
        Assert.Equal(10, (await page.GetByLabel("Recovery codes", new() { Exact = true }).InputValueAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var disable = page.GetByRole(AriaRole.Region, new() { Name = "Disable two-factor authentication" });
        await disable.GetByLabel("Or your password").FillAsync(user.Password);
        await disable.GetByRole(AriaRole.Button, new() { Name = "Disable two-factor authentication" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Two-factor authentication is disabled.");
        await Assertions.Expect(page.Locator("#two-factor-status")).ToContainTextAsync("Not enabled");

        await SignOutAsync(page);
        await BrowserFixture.SignInAsync(page, user);
    }

    private async Task<string> EnrolAsync(IPage page)
    {
        await page.GotoAsync(TwoFactorPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable two-factor authentication" }).ClickAsync();
        var key = (await page.GetByLabel("Key to enter in your app").InputValueAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        await page.GetByLabel("Verification code").FillAsync(CodeNow(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Register with two-factor app" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Recovery codes", new() { Exact = true })).ToBeVisibleAsync();
        return key;
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/users/sign_in**");
    }

    private static async Task SignInWithPasswordAsync(IPage page, TestUser user)
    {
        await page.GotoAsync("/users/sign_in");
        await page.GetByLabel("Username").FillAsync(user.Username);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/users/sign_in/two_factor**");
    }

    private static async Task EnterCodeAsync(IPage page, string code)
    {
        await page.GetByLabel("Authentication code", new() { Exact = true }).FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify code" }).ClickAsync();
    }

    // As ScreenshotTests: with LATCHKEY_SCREENSHOTS=<folder>, the pages docs/ui.md shows are saved there.
    private static async Task SaveAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("LATCHKEY_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), Animations = ScreenshotAnimations.Disabled });
        }
    }

    private string CodeNow(string base32) => new Totp(Base32Encoding.ToBytes(base32)).ComputeTotp(_fixture.Server.Clock.GetUtcNow().UtcDateTime);

    private async Task<HttpResponseMessage> BasicAsync(string username, string password)
    {
        using var client = _fixture.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return await client.GetAsync("/api/user");
    }
}

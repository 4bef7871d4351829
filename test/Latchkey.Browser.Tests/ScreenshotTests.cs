using System.Globalization;
using Latchkey.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Latchkey.Browser.Tests;

/// <summary>
/// Walks through every page as docs/ui.md shows it. With <c>LATCHKEY_SCREENSHOTS=&lt;folder&gt;</c> set, it also saves
/// each page's screenshot there (1280×800 PNG); that is how docs/ui/*.png are made.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests
{
    private readonly BrowserFixture _fixture;

    public ScreenshotTests(BrowserFixture fixture) => _fixture = fixture;

    private static string? Folder => Environment.GetEnvironmentVariable("LATCHKEY_SCREENSHOTS") is { Length: > 0 } folder ? folder : null;

    [Fact]
    public async Task Every_page_renders_for_the_documentation()
    {
        var user = await _fixture.CreateUserAsync(username: $"ada-{Guid.NewGuid().ToString("N")[..4]}");
        var session = await _fixture.SignInOverApiAsync(user.Username, user.Password);
        var today = DateOnly.FromDateTime(_fixture.Server.Clock.GetUtcNow().UtcDateTime);
        string Date(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await _fixture.CreateTokenAsync(session, new { name = "laptop git", scopes = new[] { "read_repository", "write_repository" }, expires_at = Date(90) });
        var ci = await _fixture.CreateTokenAsync(session, new { name = "ci pipeline", scopes = new[] { "read_api" }, expires_at = Date(4) });
        await _fixture.CurrentUserAsync(ci["token"]!.GetValue<string>());
        var old = await _fixture.CreateTokenAsync(session, new { name = "old script", scopes = new[] { "api" }, expires_at = Date(30) });
        using (var client = _fixture.CreateClient(session))
        {
            (await client.DeleteAsync($"/api/tokens/{old["id"]}")).EnsureSuccessStatusCode();
        }

        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/users/sign_in");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await SaveAsync(page, "sign-in");

        await BrowserFixture.SignInAsync(page, user);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active personal access tokens (2)", Exact = true })).ToBeVisibleAsync();
        await SaveAsync(page, "access-tokens");
        await page.Locator("#active-heading").EvaluateAsync("heading => heading.scrollIntoView()");
        await Assertions.Expect(TokenPage.Row(page, "ci pipeline").Locator(".badge-warning")).ToBeVisibleAsync();
        await Assertions.Expect(TokenPage.Row(page, "old script")).ToContainTextAsync("Revoked");
        await SaveAsync(page, "token-lists");

        await TokenPage.CreateAsync(page, "deploy bot", ["read_api", "read_user"], today.AddDays(30));
        await SaveAsync(page, "new-token");

        await page.GotoAsync("/-/user_settings/account");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change password" })).ToBeVisibleAsync();
        await SaveAsync(page, "account");

        var phone = await _fixture.NewPageAsync(375, 812);
        await BrowserFixture.SignInAsync(phone, user);
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Access tokens", Level = 1 })).ToBeVisibleAsync();
        await SaveAsync(phone, "access-tokens-375px");

        var dark = await _fixture.Browser.NewContextAsync(new() { BaseURL = _fixture.BaseAddress, ViewportSize = new() { Width = 1280, Height = 800 }, ColorScheme = ColorScheme.Dark });
        var darkPage = await dark.NewPageAsync();
        await BrowserFixture.SignInAsync(darkPage, user);
        Assert.Equal("rgb(13, 17, 23)", await darkPage.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
        await SaveAsync(darkPage, "access-tokens-dark");
    }

    private static async Task SaveAsync(IPage page, string name)
    {
        if (Folder is { } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), Animations = ScreenshotAnimations.Disabled });
        }
    }
}

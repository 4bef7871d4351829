using Latchkey.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Latchkey.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AccountTests
{
    private const string NewPassword = "a-brand-new-long-passphrase";

    private readonly BrowserFixture _fixture;

    public AccountTests(BrowserFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_signs_the_other_sessions_out()
    {
        var user = await _fixture.CreateUserAsync();
        var elsewhere = await _fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(elsewhere, user);
        var page = await _fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, user);
        await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active sessions (2)", Exact = true })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Current password").FillAsync("not-my-password-at-all");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.Locator("#current_password-error")).ToHaveTextAsync("This is not your current password.");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Current password").FillAsync(user.Password);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Your password was changed.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active sessions (1)", Exact = true })).ToBeVisibleAsync();

        // The other browser is signed out on its next request; the new password signs in.
        await elsewhere.ReloadAsync();
        Assert.Contains("/users/sign_in", elsewhere.Url);
        await BrowserFixture.SignInAsync(elsewhere, user with { Password = NewPassword });
    }

    [Fact]
    public async Task Another_session_can_be_revoked_and_the_current_one_is_marked()
    {
        var user = await _fixture.CreateUserAsync();
        var elsewhere = await _fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(elsewhere, user);
        var page = await _fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, user);
        await page.GotoAsync("/-/user_settings/account");

        var rows = page.Locator("table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var current = rows.Filter(new() { HasText = "This session" });
        await Assertions.Expect(current).ToHaveCountAsync(1);
        TokenPage.AcceptConfirmations(page);
        await rows.Filter(new() { HasNotText = "This session" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The session was signed out.")).ToBeVisibleAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);

        await elsewhere.ReloadAsync();
        Assert.Contains("/users/sign_in", elsewhere.Url);
    }
}

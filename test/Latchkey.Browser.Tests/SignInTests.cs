using System.Net;
using Latchkey.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Latchkey.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests
{
    private readonly BrowserFixture _fixture;

    public SignInTests(BrowserFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Signing_in_with_username_and_password_lands_on_the_access_tokens_page()
    {
        var user = await _fixture.CreateUserAsync();
        var page = await _fixture.NewPageAsync();

        await page.GotoAsync("/");
        Assert.EndsWith("/users/sign_in", page.Url);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await BrowserFixture.SignInAsync(page, user);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access tokens", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Profile settings" }).GetByRole(AriaRole.Link, new() { Name = "Access tokens" }))
            .ToHaveAttributeAsync("aria-current", "page");
        await page.GotoAsync("/");
        Assert.EndsWith("/-/user_settings/personal_access_tokens", page.Url);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_message()
    {
        var user = await _fixture.CreateUserAsync();
        var page = await _fixture.NewPageAsync();

        async Task<string> AttemptAsync(string username, string password)
        {
            await page.GotoAsync("/users/sign_in");
            await page.GetByLabel("Username").FillAsync(username);
            await page.GetByLabel("Password").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            return await page.GetByRole(AriaRole.Alert).InnerTextAsync();
        }

        var wrongPassword = await AttemptAsync(user.Username, "not-the-password-at-all");
        var unknownUser = await AttemptAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "not-the-password-at-all");

        Assert.Equal("Invalid username or password.", wrongPassword);
        Assert.Equal(wrongPassword, unknownUser);
        Assert.Equal(string.Empty, await page.GetByLabel("Password").InputValueAsync());
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task A_page_asked_for_while_signed_out_is_shown_after_sign_in_but_never_another_site()
    {
        var user = await _fixture.CreateUserAsync();
        var page = await _fixture.NewPageAsync();

        await page.GotoAsync("/-/user_settings/account");
        Assert.Contains("/users/sign_in?return_to=%2F-%2Fuser_settings%2Faccount", page.Url);
        await page.GetByLabel("Username").FillAsync(user.Username);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/-/user_settings/account");

        var other = await _fixture.NewPageAsync();
        await other.GotoAsync("/users/sign_in?return_to=//evil.example/steal");
        await other.GetByLabel("Username").FillAsync(user.Username);
        await other.GetByLabel("Password").FillAsync(user.Password);
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await other.WaitForURLAsync("**/-/user_settings/personal_access_tokens");
        Assert.StartsWith(_fixture.BaseAddress, other.Url);
    }

    [Fact]
    public async Task Signing_out_revokes_the_session_so_its_cookie_is_refused_on_the_next_request()
    {
        var (page, _) = await _fixture.SignedInPageAsync();
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "latchkey_session");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/users/sign_in");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "latchkey_session");

        // The same cookie, replayed by anyone who kept a copy: the session behind it has ended.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(_fixture.BaseAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/-/user_settings/personal_access_tokens");
        request.Headers.Add("Cookie", $"latchkey_session={cookie.Value}");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/users/sign_in?return_to=", response.Headers.Location!.OriginalString);
    }
}

using System.Globalization;
using System.Net;
using Latchkey.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Latchkey.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AccessTokensTests
{
    private readonly BrowserFixture _fixture;

    public AccessTokensTests(BrowserFixture fixture) => _fixture = fixture;

    private DateOnly Today => DateOnly.FromDateTime(_fixture.Server.Clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task Seed_002_create_a_token_with_name_expiry_and_two_scopes_save_it_use_it_and_revoke_it()
    {
        var (page, user) = await _fixture.SignedInPageAsync();

        // The seed's words are the page's: its landmark, links, headings and buttons.
        Assert.Equal(["Profile settings", "Access tokens", "Create personal access token", "Revoke"], Seed.BoldWords);
        Assert.Contains("under the 'Active personal access tokens' area", Seed.Text);
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Profile settings" })).ToBeVisibleAsync();

        // "Go to Access tokens. Choose a name and optionally an expiry date. Choose the desired scopes."
        await page.GetByRole(AriaRole.Link, new() { Name = "Access tokens" }).ClickAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        var expires = Today.AddDays(10);
        var secret = await TokenPage.CreateAsync(page, "seed 002", ["read_user", "api"], expires);

        // "Save the personal access token somewhere safe."
        Assert.StartsWith("lk_", secret);
        await Assertions.Expect(page.GetByText("Once you leave or refresh the page, you won't be able to access it again.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Assertions.Expect(page.Locator("#copy-status")).ToHaveTextAsync("Copied to the clipboard.");
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        // "Once you leave or refresh the page, you won't be able to access it again."
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#new-token")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());

        var row = TokenPage.Row(page, "seed 002");
        await Assertions.Expect(row).ToContainTextAsync("read_user");
        await Assertions.Expect(row).ToContainTextAsync("api");
        await Assertions.Expect(row).ToContainTextAsync(expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        var (status, body) = await _fixture.CurrentUserAsync(secret);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"\"username\":\"{user.Username}\"", body);

        // "Revoke any personal access token by clicking the respective Revoke button under Active personal access tokens."
        TokenPage.AcceptConfirmations(page);
        await page.GotoAsync(TokenPage.Path);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active personal access tokens (1)", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("td").Nth(3)).Not.ToHaveTextAsync("Never");
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The personal access token “seed 002” was revoked.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active personal access tokens (0)", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inactive personal access tokens (1)", Exact = true })).ToBeVisibleAsync();

        (status, _) = await _fixture.CurrentUserAsync(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Rotating_from_the_page_shows_the_new_secret_once_and_refuses_the_old_one()
    {
        var (page, _) = await _fixture.SignedInPageAsync();
        var old = await TokenPage.CreateAsync(page, "deploy", ["read_api"]);
        await page.ReloadAsync();

        TokenPage.AcceptConfirmations(page);
        await TokenPage.Row(page, "deploy").GetByRole(AriaRole.Button, new() { Name = "Rotate" }).ClickAsync();
        var rotated = await page.Locator("#new-token").InputValueAsync();

        Assert.StartsWith("lk_", rotated);
        Assert.NotEqual(old, rotated);
        await Assertions.Expect(page.GetByText("The personal access token “deploy” was rotated")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await _fixture.CurrentUserAsync(old)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _fixture.CurrentUserAsync(rotated)).Status);

        await page.ReloadAsync();
        Assert.DoesNotContain(rotated, await page.ContentAsync());
        await Assertions.Expect(TokenPage.Row(page, "deploy").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inactive personal access tokens (1)", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Every_refusal_is_shown_next_to_its_field_and_nothing_is_created()
    {
        var (page, _) = await _fixture.SignedInPageAsync();
        var beyond = Today.AddDays(400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // The date input's max would stop a person; a request can still send anything.
        await page.GetByLabel("Expiration date").EvaluateAsync("input => input.removeAttribute('max')");
        await page.GetByLabel("Expiration date").FillAsync(beyond);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Create personal access token" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(422, response.Status);
        await Assertions.Expect(page.Locator("#name-error")).ToHaveTextAsync("Give the token a name.");
        await Assertions.Expect(page.Locator("#scopes-error")).ToHaveTextAsync("Choose at least one scope.");
        await Assertions.Expect(page.Locator("#expires_at-error")).ToContainTextAsync("at the latest");
        await Assertions.Expect(page.GetByLabel("Token name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active personal access tokens (0)", Exact = true })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        // What was typed stays, so it can be corrected; then it goes through.
        await Assertions.Expect(page.GetByLabel("Expiration date")).ToHaveValueAsync(beyond);
        await page.GetByLabel("Expiration date").FillAsync(Today.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var secret = await TokenPage.CreateAsync(page, "fixed", ["read_user"]);
        Assert.StartsWith("lk_", secret);
    }

    [Fact]
    public async Task Admin_only_scopes_are_offered_to_administrators_only()
    {
        var (userPage, _) = await _fixture.SignedInPageAsync();
        var (adminPage, _) = await _fixture.SignedInPageAsync(admin: true);

        await Assertions.Expect(userPage.GetByLabel("read_api", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(userPage.GetByLabel("sudo", new() { Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(adminPage.GetByLabel("sudo", new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(userPage.GetByText("Complete read/write access to the API, including repositories and registries.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Someone_elses_token_answers_404_and_stays_active()
    {
        var (owner, _) = await _fixture.SignedInPageAsync();
        var secret = await TokenPage.CreateAsync(owner, "theirs", ["read_user"]);
        await owner.ReloadAsync();
        var theirId = await TokenPage.Row(owner, "theirs").Locator("input[name=id]").First.InputValueAsync();

        var (other, _) = await _fixture.SignedInPageAsync();
        await TokenPage.CreateAsync(other, "mine", ["read_user"]);
        await other.ReloadAsync();
        await TokenPage.Row(other, "mine").Locator("form[action*=Revoke] input[name=id]").EvaluateAsync($"input => input.value = '{theirId}'");
        TokenPage.AcceptConfirmations(other);
        var response = await other.RunAndWaitForResponseAsync(
            () => TokenPage.Row(other, "mine").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(404, response.Status);
        Assert.Equal(HttpStatusCode.OK, (await _fixture.CurrentUserAsync(secret)).Status);
    }

    [Fact]
    public async Task Search_by_name_paging_and_the_expiry_badge()
    {
        var user = await _fixture.CreateUserAsync();
        var session = await _fixture.SignInOverApiAsync(user.Username, user.Password);
        for (var i = 1; i <= 21; i++)
        {
            await _fixture.CreateTokenAsync(session, new { name = $"batch {i:00}", scopes = new[] { "read_user" }, expires_at = Today.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        }

        await _fixture.CreateTokenAsync(session, new { name = "needle", scopes = new[] { "read_user" }, expires_at = Today.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        var page = await _fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, user);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active personal access tokens (22)", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(TokenPage.Row(page, "needle").Locator(".badge-warning")).ToContainTextAsync("Expires in");
        await Assertions.Expect(TokenPage.Row(page, "batch 21").Locator(".badge-warning")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Page 1 of 2")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Page 2 of 2")).ToBeVisibleAsync();
        await Assertions.Expect(TokenPage.Row(page, "batch 01")).ToBeVisibleAsync();

        await page.GetByLabel("Search tokens by name").FillAsync("need");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active personal access tokens (1)", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(TokenPage.Row(page, "needle")).ToBeVisibleAsync();
        Assert.Contains("search=need", page.Url);
    }

    [Fact]
    public async Task The_token_page_fits_a_375_pixel_wide_screen()
    {
        var (page, _) = await _fixture.SignedInPageAsync(width: 375, height: 812);
        await TokenPage.CreateAsync(page, "phone", ["read_api", "read_user"], Today.AddDays(5));

        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 375, "the page scrolls sideways with the new token shown");
        await page.ReloadAsync();
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 375, "the page scrolls sideways");
        await Assertions.Expect(TokenPage.Row(page, "phone").GetByRole(AriaRole.Button, new() { Name = "Revoke" })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
    }
}

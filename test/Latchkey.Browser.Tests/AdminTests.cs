using System.Globalization;
using System.Net;
using Latchkey.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Latchkey.Browser.Tests;

/// <summary>
/// The admin pages as an administrator uses them: block a user and see their token refused, revoke a leaked token by
/// its value, read the audit log by name; a non-administrator finds no admin page at all; axe on every page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminTests
{
    private readonly BrowserFixture _fixture;

    public AdminTests(BrowserFixture fixture) => _fixture = fixture;

    /// <summary>With <c>LATCHKEY_SCREENSHOTS=&lt;folder&gt;</c> set, saves the page there, as ScreenshotTests does for docs/ui/.</summary>
    private static async Task SaveAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("LATCHKEY_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), Animations = ScreenshotAnimations.Disabled, FullPage = true });
        }
    }

    private string Date(int days) => DateOnly.FromDateTime(_fixture.Server.Clock.GetUtcNow().UtcDateTime).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A user with one personal access token, made over the API: (user, secret).</summary>
    private async Task<(TestUser User, string Secret, long TokenId)> UserWithTokenAsync(string name)
    {
        var user = await _fixture.CreateUserAsync();
        var session = await _fixture.SignInOverApiAsync(user.Username, user.Password);
        var token = await _fixture.CreateTokenAsync(session, new { name, scopes = new[] { "read_user" }, expires_at = Date(5) });
        return (user, token["token"]!.GetValue<string>(), token["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Blocking_a_user_refuses_their_token_on_the_next_request_and_unblocking_lets_it_back()
    {
        var (user, secret, _) = await UserWithTokenAsync("blocked soon");
        Assert.Equal(HttpStatusCode.OK, (await _fixture.CurrentUserAsync(secret)).Status);
        var (page, _) = await _fixture.SignedInPageAsync(admin: true);

        await page.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin", Level = 1 })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await SaveAsync(page, "admin-users");
        await page.GotoAsync($"/admin/users/{user.Id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = user.Username })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await SaveAsync(page, "admin-user");

        TokenPage.AcceptConfirmations(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Block user" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"The user {user.Username} is blocked")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await _fixture.CurrentUserAsync(secret)).Status);

        // The token list says why an active-looking token does not work.
        await page.GotoAsync($"/admin/tokens?username={user.Username}");
        await Assertions.Expect(page.Locator("tbody tr").Filter(new() { HasText = "blocked soon" }).GetByText("User blocked")).ToBeVisibleAsync();

        await page.GotoAsync($"/admin/users/{user.Id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unblock user" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"The user {user.Username} is unblocked")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.OK, (await _fixture.CurrentUserAsync(secret)).Status);
    }

    [Fact]
    public async Task A_leaked_token_is_looked_up_by_its_value_shown_with_its_owner_then_revoked()
    {
        var (user, secret, _) = await UserWithTokenAsync("pasted in a chat");
        await _fixture.CurrentUserAsync(secret);
        var (page, _) = await _fixture.SignedInPageAsync(admin: true);
        await page.GotoAsync("/admin/tokens/leaked");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Token value").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();

        var found = page.GetByRole(AriaRole.Region, new() { Name = $"This value is the token “pasted in a chat” of {user.Username}" });
        await Assertions.Expect(found).ToBeVisibleAsync();
        await Assertions.Expect(found).ToContainTextAsync("read_user");
        await Assertions.Expect(found.GetByRole(AriaRole.Definition).Filter(new() { HasText = "from 127.0.0.1" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByLabel("Token value")).ToHaveValueAsync(string.Empty);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        Assert.DoesNotContain(secret, page.Url);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await SaveAsync(page, "admin-leaked-token");

        // Looking is not revoking: it still works until the administrator confirms.
        Assert.Equal(HttpStatusCode.OK, (await _fixture.CurrentUserAsync(secret)).Status);
        TokenPage.AcceptConfirmations(page);
        await found.GetByRole(AriaRole.Button, new() { Name = "Revoke this token" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The token “pasted in a chat” was revoked.")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await _fixture.CurrentUserAsync(secret)).Status);

        // A value that is no token says only that.
        await page.GetByLabel("Token value").FillAsync(secret[..^2] + "zz");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(404, response.Status);
        await Assertions.Expect(page.Locator("#token-error")).ToContainTextAsync("No token has this value.");
    }

    [Fact]
    public async Task The_audit_log_filters_by_action_user_and_token_and_shows_names()
    {
        var (user, _, tokenId) = await UserWithTokenAsync("audited");
        var (page, admin) = await _fixture.SignedInPageAsync(admin: true);
        await page.GotoAsync("/admin/tokens?username=" + user.Username);
        TokenPage.AcceptConfirmations(page);
        await page.Locator("tbody tr").Filter(new() { HasText = "audited" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The token “audited” was revoked.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.GetByLabel("Action").SelectOptionAsync("token.revoked");
        await page.GetByLabel("User", new() { Exact = true }).FillAsync(user.Username);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var rows = page.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Locator("td[data-label=By]")).ToHaveTextAsync(admin.Username);
        await Assertions.Expect(rows.Locator("td[data-label=User]")).ToHaveTextAsync(user.Username);
        await Assertions.Expect(rows.Locator("td[data-label=Token]")).ToContainTextAsync($"audited #{tokenId}");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await SaveAsync(page, "admin-audit");

        // The token's own history, from its link: created by its owner, revoked by the administrator.
        await rows.Locator("td[data-label=Token] a").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Locator("td[data-label=Action]")).ToHaveTextAsync(["token.revoked", "token.created"]);
        await Assertions.Expect(rows.Nth(1).Locator("td[data-label=By]")).ToHaveTextAsync(user.Username);

        await page.GotoAsync("/admin/audit?token_id=abc");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("token_id must be a whole number.");
    }

    [Fact]
    public async Task Tokens_are_filtered_by_owner_state_and_expiry_and_the_policy_is_shown()
    {
        var (user, _, _) = await UserWithTokenAsync("expires in five days");
        var session = await _fixture.SignInOverApiAsync(user.Username, user.Password);
        await _fixture.CreateTokenAsync(session, new { name = "expires in sixty days", scopes = new[] { "read_user" }, expires_at = Date(60) });
        var (page, _) = await _fixture.SignedInPageAsync(admin: true);
        await page.GotoAsync("/admin/tokens");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("User", new() { Exact = true }).FillAsync(user.Username);
        await page.GetByLabel("Expiring within (days)").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var rows = page.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Locator("td[data-label='Token name']")).ToHaveTextAsync("expires in five days");
        await Assertions.Expect(rows.Locator("td[data-label=Owner]")).ToContainTextAsync(user.Username);
        await SaveAsync(page, "admin-tokens");

        await page.GetByLabel("State").SelectOptionAsync("revoked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("expires_within_days lists active tokens");

        await page.GetByRole(AriaRole.Link, new() { Name = "Token policy" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Maximum lifetime" })).ToContainTextAsync("365 days");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await SaveAsync(page, "admin-policy");
    }

    [Fact]
    public async Task A_user_who_is_not_an_administrator_finds_no_admin_page()
    {
        var (page, _) = await _fixture.SignedInPageAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/admin", "/admin/tokens", "/admin/tokens/leaked", "/admin/audit", "/admin/policy", "/admin/users/1" })
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Status == 404, $"{path} answered {response.Status}");
        }

        var forged = await page.APIRequest.PostAsync("/admin/users/1?handler=Block", new() { MaxRedirects = 0 });
        Assert.True(forged.Status is 400 or 404, $"a forged block answered {forged.Status}");
    }
}

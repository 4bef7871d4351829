using System.Globalization;
using Microsoft.Playwright;

namespace Latchkey.Browser.Tests.Infrastructure;

/// <summary>Seed 002's steps on the Access tokens page, for the tests that need a token made the way a person makes one.</summary>
public static class TokenPage
{
    public const string Path = "/-/user_settings/personal_access_tokens";

    /// <summary>Fills in name, optional expiry date and scopes, clicks <b>Create personal access token</b>, and returns the secret shown once.</summary>
    public static async Task<string> CreateAsync(IPage page, string name, IReadOnlyList<string> scopes, DateOnly? expires = null)
    {
        await page.GetByLabel("Token name").FillAsync(name);
        if (expires is { } date)
        {
            await page.GetByLabel("Expiration date").FillAsync(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        foreach (var scope in scopes)
        {
            await page.GetByLabel(scope, new() { Exact = true }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Create personal access token" }).ClickAsync();
        var field = page.Locator("#new-token");
        await Assertions.Expect(field).ToBeVisibleAsync();
        return await field.InputValueAsync();
    }

    /// <summary>The row of the token named <paramref name="name"/> in a table of the page.</summary>
    public static ILocator Row(IPage page, string name)
        => page.Locator("tbody tr").Filter(new() { Has = page.Locator("td:first-child").GetByText(name, new() { Exact = true }) });

    /// <summary>Accepts every confirm dialog the page opens from now on (Revoke, Rotate).</summary>
    public static void AcceptConfirmations(IPage page) => page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
}

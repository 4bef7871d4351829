namespace Latchkey.Server.Pages;

/// <summary>The layout's navigation: each entry names its page, and is shown only when that page exists.</summary>
internal static class UiNavigation
{
    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("Access tokens", "/UserSettings/PersonalAccessTokens"),
        new("Two-factor authentication", "/UserSettings/TwoFactorAuthentication"),
        new("Account", "/UserSettings/Account"),
        new("Admin", "/Admin/Index", AdministratorsOnly: true),
    ];

    public sealed record Entry(string Text, string Page, bool AdministratorsOnly = false);
}

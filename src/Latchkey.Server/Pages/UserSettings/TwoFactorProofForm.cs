namespace Latchkey.Server.Pages.UserSettings;

/// <summary>A form on the two-factor page that asks again for a code or the password (new recovery codes, disabling).</summary>
internal sealed record TwoFactorProofForm(string Handler, string Prefix, string Button, string ButtonClass, string? Confirm, string? Error);

namespace Latchkey.Browser.Tests.Infrastructure;

/// <summary>A user a test created through <c>POST /api/users</c>.</summary>
public sealed record TestUser(long Id, string Username, string Password, bool IsAdmin)
{
    public const string DefaultPassword = "another-long-passphrase";
}

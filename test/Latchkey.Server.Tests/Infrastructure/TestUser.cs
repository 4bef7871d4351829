namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>A user a test created through <c>POST /api/users</c>, signed in.</summary>
public sealed record TestUser(long Id, string Username, string Password, string Session)
{
    public const string DefaultPassword = "another-long-passphrase";
}

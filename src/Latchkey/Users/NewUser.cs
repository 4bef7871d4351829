namespace Latchkey.Users;

/// <summary>A user to insert; the password is already hashed.</summary>
public sealed record NewUser(string Username, string? Email, string? Name, string PasswordHash, bool IsAdmin, DateTimeOffset CreatedAt)
{
    public override string ToString() => $"NewUser {{ Username = {Username} }}";
}

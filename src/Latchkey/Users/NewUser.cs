using Latchkey.Auditing;

namespace Latchkey.Users;

/// <summary>A user to insert; the password is already hashed.</summary>
public sealed record NewUser(string Username, string? Email, string? Name, string PasswordHash, bool IsAdmin, DateTimeOffset CreatedAt)
{
    /// <summary>Appended with the insert, in its transaction; the store fills in the subject (the new user's id).</summary>
    public AuditEntry? Audit { get; init; }

    public override string ToString() => $"NewUser {{ Username = {Username} }}";
}

using Latchkey.Users;

namespace Latchkey.Server.Api;

/// <summary>A user as the API shows it (GitLab's field names). There is no password hash here, ever.</summary>
internal sealed record UserResponse(long Id, string Username, string? Name, string? Email, string State, bool IsAdmin, DateTimeOffset CreatedAt, bool TwoFactorEnabled)
{
    public static UserResponse From(User user) => new(user.Id, user.Username, user.Name, user.Email, user.State, user.IsAdmin, user.CreatedAt, user.HasTwoFactor);
}

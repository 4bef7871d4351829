namespace Latchkey.Users;

/// <summary>A person who owns tokens. The password hash never leaves the server: APIs map this to their own shape.</summary>
public sealed record User
{
    public required long Id { get; init; }

    public required string Username { get; init; }

    public string? Email { get; init; }

    public string? Name { get; init; }

    public required string PasswordHash { get; init; }

    public bool IsAdmin { get; init; }

    /// <summary><c>active</c> or <c>blocked</c>; a blocked user's tokens stop working.</summary>
    public string State { get; init; } = UserStates.Active;

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the user turned on two-factor authentication; <c>null</c> when they have not.</summary>
    public DateTimeOffset? TwoFactorEnabledAt { get; init; }

    /// <summary>
    /// Their first sign-in while two-factor authentication was required of them and they had none: the grace
    /// period (<see cref="TwoFactorOptions.GracePeriod"/>) counts from here.
    /// </summary>
    public DateTimeOffset? TwoFactorGraceFrom { get; init; }

    public bool IsActive => State == UserStates.Active;

    public bool HasTwoFactor => TwoFactorEnabledAt is not null;

    public override string ToString() => $"User {{ Id = {Id}, Username = {Username} }}";
}

namespace Latchkey.Users;

/// <summary>
/// How <see cref="UserManager.CheckPasswordAsync"/> went: <see cref="SignInOutcome.Succeeded"/> with the
/// <see cref="User"/>, <see cref="SignInOutcome.Failed"/> (never said why), or
/// <see cref="SignInOutcome.SecondFactorRequired"/> (the password was right, but it is not enough for this user).
/// </summary>
public sealed record PasswordCheckResult(SignInOutcome Outcome, User? User)
{
    public static readonly PasswordCheckResult Failed = new(SignInOutcome.Failed, null);
}

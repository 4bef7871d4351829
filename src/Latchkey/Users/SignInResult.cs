using Latchkey.Tokens;

namespace Latchkey.Users;

/// <summary>How a sign-in went, and what comes with a session when two-factor authentication is required of everyone.</summary>
public sealed record SignInResult(SignInOutcome Outcome)
{
    public static readonly SignInResult Failed = new(SignInOutcome.Failed);

    public IssuedToken? Session { get; init; }

    /// <summary>Whose password was right, when <see cref="SignInOutcome.SecondFactorRequired"/>: the second step asks for their code.</summary>
    public long? UserId { get; init; }

    /// <summary>
    /// Under a required policy, for a user without two-factor authentication: when their grace period ends. A session
    /// opened after it is <see cref="EnrolmentOnly"/>.
    /// </summary>
    public DateTimeOffset? TwoFactorDueBy { get; init; }

    /// <summary>The session can do nothing but enrol in two-factor authentication (and sign out).</summary>
    public bool EnrolmentOnly { get; init; }

    public override string ToString() => $"SignInResult {{ Outcome = {Outcome}, UserId = {UserId}, EnrolmentOnly = {EnrolmentOnly} }}";
}

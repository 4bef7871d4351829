namespace Latchkey.Users;

/// <summary>A started enrolment: the key to put in an authenticator app, as Base32 and as an <c>otpauth://</c> URI.</summary>
public sealed record TwoFactorEnrolment(string Secret, string OtpAuthUri)
{
    public override string ToString() => "TwoFactorEnrolment { *** }";
}

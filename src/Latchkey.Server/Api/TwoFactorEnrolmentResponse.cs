namespace Latchkey.Server.Api;

/// <summary>The key to add to an authenticator app: Base32, and the <c>otpauth://</c> URI a QR code carries.</summary>
internal sealed record TwoFactorEnrolmentResponse(string Secret, string OtpauthUri)
{
    public override string ToString() => "TwoFactorEnrolmentResponse { *** }";
}

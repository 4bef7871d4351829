namespace Latchkey.Server.Api;

/// <summary>
/// <c>POST /api/user/two_factor/confirm</c> (<c>otp</c>); <c>DELETE /api/user/two_factor</c> and
/// <c>POST /api/user/two_factor/recovery_codes</c> (<c>otp</c> or <c>password</c>).
/// </summary>
internal sealed class TwoFactorCodeBody
{
    /// <summary>A current authenticator code, or (except to confirm) an unused recovery code.</summary>
    public string? Otp { get; set; }

    public string? Password { get; set; }

    public override string ToString() => nameof(TwoFactorCodeBody);
}

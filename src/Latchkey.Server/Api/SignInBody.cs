namespace Latchkey.Server.Api;

internal sealed class SignInBody
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>For a user with two-factor authentication: a current authenticator code or an unused recovery code.</summary>
    public string? Otp { get; set; }

    public override string ToString() => $"SignInBody {{ Username = {Username} }}";
}

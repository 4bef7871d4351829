namespace Latchkey.Server.Api;

internal sealed class SignInBody
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    public override string ToString() => $"SignInBody {{ Username = {Username} }}";
}

namespace Latchkey.Server.Api;

internal sealed class CreateUserBody
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? Email { get; set; }

    public string? Name { get; set; }

    public bool Admin { get; set; }

    public override string ToString() => $"CreateUserBody {{ Username = {Username} }}";
}

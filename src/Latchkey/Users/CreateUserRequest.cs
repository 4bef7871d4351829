namespace Latchkey.Users;

/// <summary>A user to create, as asked for: <see cref="UserManager"/> checks every field.</summary>
public sealed record CreateUserRequest
{
    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Email { get; init; }

    public string? Name { get; init; }

    public bool IsAdmin { get; init; }

    public override string ToString() => $"CreateUserRequest {{ Username = {Username} }}";
}

namespace Latchkey.Users;

/// <summary>
/// Changes to a user; unset fields stay as they are. Name and email are the user's own to change;
/// <see cref="IsAdmin"/> and <see cref="Password"/> (a reset, which ends all their sessions) are for administrators.
/// </summary>
public sealed record UpdateUserRequest
{
    public string? Name { get; init; }

    /// <summary>Set to change <see cref="Name"/>, to <c>null</c> included.</summary>
    public bool NameSet { get; init; }

    public string? Email { get; init; }

    /// <summary>Set to change <see cref="Email"/>, to <c>null</c> included.</summary>
    public bool EmailSet { get; init; }

    public bool? IsAdmin { get; init; }

    public string? Password { get; init; }

    public override string ToString() => $"UpdateUserRequest {{ NameSet = {NameSet}, EmailSet = {EmailSet}, IsAdmin = {IsAdmin}, Password = {(Password is null ? "unset" : "***")} }}";
}

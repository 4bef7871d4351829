namespace Latchkey.Stores;

/// <summary>
/// Fields to change on a user, and what else the same transaction does; <c>null</c> leaves a field as it is. The
/// rules were applied by <see cref="Users.UserManager"/>: the store only writes, and refuses when
/// <see cref="KeepAnActiveAdministrator"/> would be broken by the time it commits.
/// </summary>
public sealed record UserChanges
{
    public string? Name { get; init; }

    /// <summary>Set to write <see cref="Name"/>, <c>null</c> included.</summary>
    public bool NameChanged { get; init; }

    public string? Email { get; init; }

    /// <summary>Set to write <see cref="Email"/>, <c>null</c> included.</summary>
    public bool EmailChanged { get; init; }

    public bool? IsAdmin { get; init; }

    /// <summary>A <see cref="Users.UserStates"/> value.</summary>
    public string? State { get; init; }

    public string? PasswordHash { get; init; }

    /// <summary>Revokes the user's unrevoked sessions, all but <see cref="KeepSessionId"/>.</summary>
    public bool EndSessions { get; init; }

    public long? KeepSessionId { get; init; }

    /// <summary>Refuse (<see cref="UserWriteRefusal.LastAdministrator"/>) when no active administrator would remain.</summary>
    public bool KeepAnActiveAdministrator { get; init; }

    public override string ToString() => $"UserChanges {{ NameChanged = {NameChanged}, EmailChanged = {EmailChanged}, IsAdmin = {IsAdmin}, State = {State}, PasswordHash = {(PasswordHash is null ? "unset" : "***")}, EndSessions = {EndSessions} }}";
}

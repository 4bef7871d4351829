namespace Latchkey.Auditing;

/// <summary>
/// What the ids of an audit entry are called today: the actor's and subject's usernames and the token's name.
/// <c>null</c> where there is no id, or where the user was deleted or the token pruned since.
/// </summary>
public sealed record AuditNames(string? ActorUsername, string? SubjectUsername, string? TokenName)
{
    public static readonly AuditNames None = new(null, null, null);
}

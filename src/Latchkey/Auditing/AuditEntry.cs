namespace Latchkey.Auditing;

/// <summary>
/// An event to append to the audit log. For an insert, <see cref="TokenId"/> may be left empty: the store fills in
/// the new token's id.
/// </summary>
public sealed record AuditEntry(
    string Action,
    DateTimeOffset At,
    long? ActorUserId,
    long? TokenId = null,
    long? SubjectUserId = null,
    string? IpAddress = null,
    string? Details = null);

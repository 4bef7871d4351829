namespace Latchkey.Auditing;

/// <summary>An appended audit entry with its id, and the names its ids have when it is read.</summary>
public sealed record AuditEvent(long Id, AuditEntry Entry)
{
    public AuditNames Names { get; init; } = AuditNames.None;
}

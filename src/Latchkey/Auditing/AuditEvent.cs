namespace Latchkey.Auditing;

/// <summary>An appended audit entry with its id.</summary>
public sealed record AuditEvent(long Id, AuditEntry Entry);

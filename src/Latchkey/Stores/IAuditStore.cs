using Latchkey.Auditing;

namespace Latchkey.Stores;

/// <summary>The audit log: appended to by token writes (in their transaction) and by sign-in failures.</summary>
public interface IAuditStore
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// The entries <paramref name="query"/> selects, newest first (by order of appending), each with
    /// <see cref="AuditEvent.Names"/> as they are now.
    /// </summary>
    Task<Page<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}

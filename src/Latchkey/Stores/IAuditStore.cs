using Latchkey.Auditing;

namespace Latchkey.Stores;

/// <summary>The audit log: appended to by token writes (in their transaction) and by sign-in failures.</summary>
public interface IAuditStore
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<Page<AuditEvent>> QueryAsync(int page, int perPage, CancellationToken cancellationToken);
}

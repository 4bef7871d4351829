using Latchkey.Auditing;
using Latchkey.Stores;

namespace Latchkey.Tests.Fakes;

/// <summary>The audit log in memory: increasing ids, timestamps kept to the millisecond, newest first on query.</summary>
public sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock _lock = new();
    private readonly List<AuditEvent> _events = [];
    private long _lastId;

    /// <summary>Everything appended so far, oldest first.</summary>
    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<AuditEntry> Entries(string action) => [.. Events.Select(e => e.Entry).Where(e => e.Action == action)];

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        Append(entry);
        return Task.CompletedTask;
    }

    public Task<Page<AuditEvent>> QueryAsync(int page, int perPage, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var items = _events.AsEnumerable().Reverse().Skip((page - 1) * perPage).Take(perPage).ToArray();
            return Task.FromResult(new Page<AuditEvent>(items, _events.Count, page, perPage));
        }
    }

    /// <summary>Appends inside the caller's "transaction" (the token store calls this under its own lock).</summary>
    internal void Append(AuditEntry entry)
    {
        lock (_lock)
        {
            _events.Add(new AuditEvent(++_lastId, entry with { At = Timestamps.Truncate(entry.At) }));
        }
    }
}

using Latchkey.Auditing;
using Latchkey.Stores;

namespace Latchkey.Tests.Fakes;

/// <summary>
/// The audit log in memory: increasing ids, timestamps kept to the millisecond, newest first on query, with the
/// names its ids have when it is read (from the attached user and token stores, as the SQL stores join them in).
/// </summary>
public sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock _lock = new();
    private readonly List<AuditEvent> _events = [];
    private long _lastId;
    private InMemoryUserStore? _users;
    private InMemoryTokenStore? _tokens;

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

    public Task<Page<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        // Users and tokens are read outside this lock: their writes append here while holding their own.
        var userIds = query.Username is { } username ? _users?.IdOf(username) ?? -1 : (long?)null;
        AuditEvent[] matches;
        lock (_lock)
        {
            matches = [.. _events.AsEnumerable().Reverse().Where(e => Matches(query, userIds, e.Entry))];
        }

        var items = matches.Skip((query.Page - 1) * query.PerPage).Take(query.PerPage).Select(Named).ToArray();
        return Task.FromResult(new Page<AuditEvent>(items, matches.Length, query.Page, query.PerPage));
    }

    /// <summary>The stores whose names the log's ids are read with (the token store attaches both).</summary>
    internal void Attach(InMemoryUserStore users, InMemoryTokenStore tokens)
    {
        _users = users;
        _tokens = tokens;
    }

    /// <summary>Appends inside the caller's "transaction" (the token store calls this under its own lock).</summary>
    internal void Append(AuditEntry entry)
    {
        lock (_lock)
        {
            _events.Add(new AuditEvent(++_lastId, entry with { At = Timestamps.Truncate(entry.At) }));
        }
    }

    private static bool Matches(AuditQuery query, long? usernameId, AuditEntry entry)
        => (query.Action is null || entry.Action == query.Action)
            && (query.UserId is null || entry.ActorUserId == query.UserId || entry.SubjectUserId == query.UserId)
            && (usernameId is null || entry.ActorUserId == usernameId || entry.SubjectUserId == usernameId)
            && (query.TokenId is null || entry.TokenId == query.TokenId);

    private AuditEvent Named(AuditEvent e) => e with
    {
        Names = new AuditNames(UsernameOf(e.Entry.ActorUserId), UsernameOf(e.Entry.SubjectUserId), e.Entry.TokenId is { } id ? _tokens?.NameOf(id) : null),
    };

    private string? UsernameOf(long? id) => id is { } userId ? _users?.OwnerOf(userId)?.Username : null;
}

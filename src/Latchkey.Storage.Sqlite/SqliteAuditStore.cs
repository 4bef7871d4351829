using System.Data.Common;
using Latchkey.Auditing;
using Latchkey.Stores;

namespace Latchkey.Storage.Sqlite;

/// <summary>The audit log in SQLite. Token writes append through <see cref="AuditLog"/> in their own transaction.</summary>
internal sealed class SqliteAuditStore : IAuditStore
{
    private readonly SqliteConnectionFactory _connections;

    public SqliteAuditStore(SqliteConnectionFactory connections)
    {
        _connections = connections;
    }

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await AuditLog.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Newest first by order of appending (the id), which a clock that steps backwards cannot disturb.</summary>
    public async Task<Page<AuditEvent>> QueryAsync(int page, int perPage, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await SqlitePaging.ReadAsync(
            connection,
            "SELECT COUNT(*) FROM audit_log",
            "SELECT id, at, action, actor_user_id, token_id, subject_user_id, ip_address, details FROM audit_log ORDER BY id DESC",
            null,
            page,
            perPage,
            Read,
            cancellationToken);
    }

    private static AuditEvent Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        new AuditEntry(
            reader.GetString(2),
            UnixTime.FromStore(reader.GetInt64(1)),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4),
            reader.IsDBNull(5) ? null : reader.GetInt64(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7)));
}

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
    public async Task<Page<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var sql = new AuditQuerySql(query, SqliteDialect.Instance);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await SqlitePaging.ReadAsync(
            connection, sql.CountSql, sql.PageSql, sql.Parameters, query.Page, query.PerPage, AuditQuerySql.Read, cancellationToken);
    }
}

using System.Data.Common;
using Latchkey.Auditing;
using Latchkey.Stores;

namespace Latchkey.Storage;

/// <summary>
/// The audit log in a SQL store (each store derives its own). Token and user writes append through
/// <see cref="AuditLog"/> in their own transaction; this appends entries that stand alone and reads the log.
/// </summary>
internal abstract class SqlAuditStore : IAuditStore
{
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly SqlDialect _dialect;

    /// <param name="open">Opens a connection to the store's database.</param>
    /// <param name="dialect">The store's SQL dialect.</param>
    protected SqlAuditStore(Func<CancellationToken, Task<DbConnection>> open, SqlDialect dialect)
    {
        _open = open;
        _dialect = dialect;
    }

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Newest first by order of appending (the id), which a clock that steps backwards cannot disturb.</summary>
    public async Task<Page<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var sql = new AuditQuerySql(query, _dialect);
        await using var connection = await _open(cancellationToken);
        return await Paging.ReadAsync(
            connection, _dialect, sql.CountSql, sql.PageSql, sql.Parameters, query.Page, query.PerPage, AuditQuerySql.Read, cancellationToken);
    }
}

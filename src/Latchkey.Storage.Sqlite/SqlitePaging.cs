using System.Data.Common;
using Latchkey.Stores;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite;

internal static class SqlitePaging
{
    /// <summary>
    /// <see cref="Paging.ReadAsync"/> inside one deferred transaction, which in WAL mode is a read snapshot: the total
    /// and the items agree even while others write.
    /// </summary>
    public static async Task<Page<T>> ReadAsync<T>(
        SqliteConnection connection,
        string countSql,
        string pageSql,
        object? parameters,
        int page,
        int perPage,
        Func<DbDataReader, T> read,
        CancellationToken cancellationToken)
    {
        await using var snapshot = connection.BeginTransaction(deferred: true);
        return await Paging.ReadAsync(connection, snapshot, countSql, pageSql, parameters, page, perPage, read, cancellationToken);
    }
}

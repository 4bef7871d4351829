using System.Data;
using System.Data.Common;
using Latchkey.Stores;
using Npgsql;

namespace Latchkey.Storage.Postgres;

internal static class PostgresPaging
{
    /// <summary>
    /// <see cref="Paging.ReadAsync"/> inside one REPEATABLE READ transaction, one snapshot for both statements: the
    /// total and the items agree even while others write (under the default READ COMMITTED each statement would see
    /// its own).
    /// </summary>
    public static async Task<Page<T>> ReadAsync<T>(
        NpgsqlConnection connection,
        string countSql,
        string pageSql,
        object? parameters,
        int page,
        int perPage,
        Func<DbDataReader, T> read,
        CancellationToken cancellationToken)
    {
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var items = await Paging.ReadAsync(connection, snapshot, countSql, pageSql, parameters, page, perPage, read, cancellationToken);
        await snapshot.CommitAsync(cancellationToken);
        return items;
    }
}

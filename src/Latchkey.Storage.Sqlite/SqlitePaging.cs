using System.Data.Common;
using Dapper;
using Latchkey.Stores;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite;

internal static class SqlitePaging
{
    /// <summary>
    /// Counts all matches and reads one page of them inside one deferred transaction, which in WAL mode is a read
    /// snapshot: the total and the items agree even while others write. <paramref name="pageSql"/> ends with its
    /// ORDER BY; the LIMIT and OFFSET are added here.
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
        var all = new DynamicParameters(parameters);
        all.Add("Limit", perPage);

        // In 64 bits: the caller validates page and per_page, and an overflow here must not wrap to another page.
        all.Add("Offset", ((long)page - 1) * perPage);

        await using var transaction = connection.BeginTransaction(deferred: true);
        var total = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(countSql, all, transaction, cancellationToken: cancellationToken));
        await using var reader = await connection.ExecuteReaderAsync(
            new CommandDefinition($"{pageSql} LIMIT @Limit OFFSET @Offset", all, transaction, cancellationToken: cancellationToken));
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(read(reader));
        }

        return new Page<T>(items, total, page, perPage);
    }
}

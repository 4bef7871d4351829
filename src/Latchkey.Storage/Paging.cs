using System.Data.Common;
using Dapper;
using Latchkey.Stores;

namespace Latchkey.Storage;

internal static class Paging
{
    /// <summary>
    /// Counts all matches and reads one page of them in one snapshot (<see cref="SqlDialect.BeginSnapshotAsync"/>:
    /// SQLite's deferred transaction in WAL mode, PostgreSQL's REPEATABLE READ), so the total and the items agree even
    /// while others write.
    /// <paramref name="pageSql"/> ends with its ORDER BY; the LIMIT and OFFSET are added here.
    /// </summary>
    public static async Task<Page<T>> ReadAsync<T>(
        DbConnection connection,
        SqlDialect dialect,
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

        await using var snapshot = await dialect.BeginSnapshotAsync(connection, cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(countSql, all, snapshot, cancellationToken: cancellationToken));
        var items = new List<T>();
        await using (var reader = await connection.ExecuteReaderAsync(
            new CommandDefinition($"{pageSql} LIMIT @Limit OFFSET @Offset", all, snapshot, cancellationToken: cancellationToken)))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(read(reader));
            }
        }

        await snapshot.CommitAsync(cancellationToken);

        return new Page<T>(items, total, page, perPage);
    }
}

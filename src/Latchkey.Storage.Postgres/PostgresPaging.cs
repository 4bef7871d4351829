using System.Data;
using System.Data.Common;
using Dapper;
using Latchkey.Stores;
using Npgsql;

namespace Latchkey.Storage.Postgres;

internal static class PostgresPaging
{
    /// <summary>
    /// Counts all matches and reads one page of them inside one REPEATABLE READ transaction, one snapshot
    /// for both statements: the total and the items agree even while others write (under the default READ
    /// COMMITTED each statement would see its own). <paramref name="pageSql"/> ends with its ORDER BY; the LIMIT and
    /// OFFSET are added here.
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
        var all = new DynamicParameters(parameters);
        all.Add("Limit", perPage);

        // In 64 bits: the caller validates page and per_page, and an overflow here must not wrap to another page.
        all.Add("Offset", ((long)page - 1) * perPage);

        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(countSql, all, transaction, cancellationToken: cancellationToken));
        var items = new List<T>();
        await using (var reader = await connection.ExecuteReaderAsync(
            new CommandDefinition($"{pageSql} LIMIT @Limit OFFSET @Offset", all, transaction, cancellationToken: cancellationToken)))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(read(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new Page<T>(items, total, page, perPage);
    }
}

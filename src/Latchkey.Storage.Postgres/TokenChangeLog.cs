using Dapper;
using Latchkey.Changes;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// Appends to <c>token_changes</c> inside the caller's transaction, so a change and the notice of it commit
/// together: the rows the SQLite store writes, for the PostgreSQL change feed to build on.
/// </summary>
internal static class TokenChangeLog
{
    private const string InsertSql = """
        INSERT INTO token_changes (token_id, user_id, at)
        SELECT token_id, NULL, @At FROM unnest(@TokenIds) AS token_id
        UNION ALL
        SELECT NULL, @UserId, @At WHERE @UserId IS NOT NULL
        """;

    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TokenChange change, DateTimeOffset at, CancellationToken cancellationToken)
        => await connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new { TokenIds = change.TokenIds.ToArray(), change.UserId, At = UnixTime.ToStore(at) },
            transaction,
            cancellationToken: cancellationToken));
}

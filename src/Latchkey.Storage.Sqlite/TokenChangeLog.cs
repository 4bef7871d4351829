using Dapper;
using Latchkey.Changes;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite;

/// <summary>
/// Appends to <c>token_changes</c> inside the caller's transaction, so a change and the notice of it commit
/// together; <see cref="SqliteTokenChangeFeed"/> reads them back in every process on the file.
/// </summary>
internal static class TokenChangeLog
{
    private const string InsertSql = "INSERT INTO token_changes (token_id, user_id, at) VALUES (@TokenId, @UserId, @At)";

    public static async Task AppendAsync(SqliteConnection connection, SqliteTransaction transaction, TokenChange change, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var stamp = UnixTime.ToStore(at);
        var rows = change.TokenIds.Select(id => new { TokenId = (long?)id, UserId = (long?)null, At = stamp });
        if (change.UserId is { } userId)
        {
            rows = rows.Append(new { TokenId = (long?)null, UserId = (long?)userId, At = stamp });
        }

        await connection.ExecuteAsync(new CommandDefinition(InsertSql, rows.ToArray(), transaction, cancellationToken: cancellationToken));
    }
}

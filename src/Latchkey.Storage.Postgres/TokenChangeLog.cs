using System.Globalization;
using System.Text;
using Dapper;
using Latchkey.Changes;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// Writes a change where every node hears it, inside the caller's transaction: a <c>token_changes</c> row per token
/// or user (the record) and a <c>NOTIFY</c> on <see cref="Channel"/> (the news). PostgreSQL delivers notifications
/// only when the transaction commits, and from one session in commit order, so a rolled-back change tells nobody and a
/// committed one reaches every listening node (<see cref="PostgresTokenChangeFeed"/>).
/// </summary>
internal static class TokenChangeLog
{
    /// <summary>The channel every node listens on.</summary>
    public const string Channel = "latchkey_token_changes";

    /// <summary>
    /// A notification's payload must stay under 8,000 bytes: a change naming more tokens than fit (a family revoked
    /// at once, every token of a user) is sent as several notifications.
    /// </summary>
    internal const int MaxPayloadLength = 7000;

    private const string InsertSql = """
        INSERT INTO token_changes (token_id, user_id, at)
        SELECT token_id, NULL, @At FROM unnest(@TokenIds) AS token_id
        UNION ALL
        SELECT NULL, @UserId, @At WHERE @UserId IS NOT NULL
        """;

    private const string NotifySql = $"SELECT pg_notify('{Channel}', payload) FROM unnest(@Payloads) AS payload";

    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TokenChange change, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new { TokenIds = change.TokenIds.ToArray(), change.UserId, At = UnixTime.ToStore(at) },
            transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(NotifySql, new { Payloads = Payloads(change).ToArray() }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// <c>t:1,2,3</c> for tokens, <c>u:7</c> for a user's tokens: short, and nothing a node could mistake for another
    /// change. <see cref="TryParse"/> reads them back.
    /// </summary>
    internal static IEnumerable<string> Payloads(TokenChange change)
    {
        if (change.UserId is { } userId)
        {
            yield return "u:" + userId.ToString(CultureInfo.InvariantCulture);
        }

        var payload = new StringBuilder();
        foreach (var id in change.TokenIds)
        {
            var text = id.ToString(CultureInfo.InvariantCulture);
            if (payload.Length > 0 && payload.Length + 1 + text.Length > MaxPayloadLength)
            {
                yield return payload.ToString();
                payload.Clear();
            }

            payload.Append(payload.Length == 0 ? "t:" : ",").Append(text);
        }

        if (payload.Length > 0)
        {
            yield return payload.ToString();
        }
    }

    internal static bool TryParse(string payload, out TokenChange change)
    {
        change = TokenChange.Tokens([]);
        if (payload.StartsWith("u:", StringComparison.Ordinal))
        {
            if (!long.TryParse(payload.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
            {
                return false;
            }

            change = TokenChange.User(userId);
            return true;
        }

        if (!payload.StartsWith("t:", StringComparison.Ordinal))
        {
            return false;
        }

        var ids = new List<long>();
        foreach (var part in payload[2..].Split(','))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return false;
            }

            ids.Add(id);
        }

        change = TokenChange.Tokens(ids);
        return true;
    }
}

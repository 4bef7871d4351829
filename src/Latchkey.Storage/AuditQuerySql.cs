using System.Data.Common;
using Dapper;
using Latchkey.Auditing;
using Latchkey.Stores;

namespace Latchkey.Storage;

/// <summary>
/// Turns an <see cref="AuditQuery"/> into SQL, newest first by order of appending (the id), which a clock that steps
/// backwards cannot disturb; <see cref="Read"/> reads a row of it back. Every value is a parameter.
/// </summary>
internal sealed class AuditQuerySql
{
    // The names are looked up as the log is read: the log keeps ids only, and outlives the users and tokens it names.
    private const string SelectSql = """
        SELECT a.id, a.at, a.action, a.actor_user_id, a.token_id, a.subject_user_id, a.ip_address, a.details,
               actor.username, subject.username, t.name
        FROM audit_log a
        LEFT JOIN users actor ON actor.id = a.actor_user_id
        LEFT JOIN users subject ON subject.id = a.subject_user_id
        LEFT JOIN tokens t ON t.id = a.token_id
        """;

    public AuditQuerySql(AuditQuery query, SqlDialect dialect)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.Action is { } action)
        {
            where.Add("a.action = @Action");
            parameters.Add("Action", action);
        }

        if (query.UserId is { } userId)
        {
            where.Add("(a.actor_user_id = @UserId OR a.subject_user_id = @UserId)");
            parameters.Add("UserId", userId);
        }

        if (query.Username is { } username)
        {
            // Without regard to case, as sign-in compares usernames.
            var matches = dialect.UsernameMatches("@Username");
            where.Add($"(a.actor_user_id IN (SELECT id FROM users WHERE {matches}) OR a.subject_user_id IN (SELECT id FROM users WHERE {matches}))");
            parameters.Add("Username", username);
        }

        if (query.TokenId is { } tokenId)
        {
            where.Add("a.token_id = @TokenId");
            parameters.Add("TokenId", tokenId);
        }

        var filter = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
        CountSql = $"SELECT COUNT(*) FROM audit_log a{filter}";
        PageSql = $"{SelectSql}{filter} ORDER BY a.id DESC";
        Parameters = parameters;
    }

    public string CountSql { get; }

    /// <summary>The matching entries, newest first, without LIMIT and OFFSET (see <see cref="Paging"/>).</summary>
    public string PageSql { get; }

    public DynamicParameters Parameters { get; }

    public static AuditEvent Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        new AuditEntry(
            reader.GetString(2),
            UnixTime.FromStore(reader.GetInt64(1)),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4),
            reader.IsDBNull(5) ? null : reader.GetInt64(5),
            Text(reader, 6),
            Text(reader, 7)))
    {
        Names = new AuditNames(Text(reader, 8), Text(reader, 9), Text(reader, 10)),
    };

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

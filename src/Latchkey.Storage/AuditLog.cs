using System.Data.Common;
using Dapper;
using Latchkey.Auditing;

namespace Latchkey.Storage;

/// <summary>Appends to <c>audit_log</c> inside the caller's transaction, so a write and its record commit together.</summary>
internal static class AuditLog
{
    private const string InsertSql = """
        INSERT INTO audit_log (at, action, actor_user_id, token_id, subject_user_id, ip_address, details)
        VALUES (@At, @Action, @ActorUserId, @TokenId, @SubjectUserId, @IpAddress, @Details)
        """;

    public static Task AppendAsync(DbConnection connection, DbTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
        => connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new
            {
                At = UnixTime.ToStore(entry.At),
                entry.Action,
                entry.ActorUserId,
                entry.TokenId,
                entry.SubjectUserId,
                entry.IpAddress,
                entry.Details,
            },
            transaction,
            cancellationToken: cancellationToken));
}

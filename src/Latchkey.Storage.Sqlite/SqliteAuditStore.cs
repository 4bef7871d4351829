namespace Latchkey.Storage.Sqlite;

/// <summary><see cref="SqlAuditStore"/> over this store's connections and <see cref="SqliteDialect"/>.</summary>
internal sealed class SqliteAuditStore(SqliteConnectionFactory connections)
    : SqlAuditStore(async cancellationToken => await connections.OpenAsync(cancellationToken), SqliteDialect.Instance);

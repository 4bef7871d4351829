namespace Latchkey.Storage.Postgres;

/// <summary><see cref="SqlAuditStore"/> over this store's connections and <see cref="PostgresDialect"/>.</summary>
internal sealed class PostgresAuditStore(PostgresConnectionFactory connections)
    : SqlAuditStore(async cancellationToken => await connections.OpenAsync(cancellationToken), PostgresDialect.Instance);

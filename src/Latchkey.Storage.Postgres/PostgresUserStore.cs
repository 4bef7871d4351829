namespace Latchkey.Storage.Postgres;

/// <summary><see cref="SqlUserStore"/> over this store's connections and <see cref="PostgresDialect"/>.</summary>
internal sealed class PostgresUserStore(PostgresConnectionFactory connections)
    : SqlUserStore(async cancellationToken => await connections.OpenAsync(cancellationToken), PostgresDialect.Instance);

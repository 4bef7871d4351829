namespace Latchkey.Storage.Postgres;

/// <summary><see cref="SqlHashingKeyStore"/> over this store's connections and <see cref="PostgresDialect"/>.</summary>
internal sealed class PostgresHashingKeyStore(PostgresConnectionFactory connections)
    : SqlHashingKeyStore(async cancellationToken => await connections.OpenAsync(cancellationToken), PostgresDialect.Instance);

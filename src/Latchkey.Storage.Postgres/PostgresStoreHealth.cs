namespace Latchkey.Storage.Postgres;

/// <summary><see cref="StoreHealth"/> over this store's connections and migrations.</summary>
internal sealed class PostgresStoreHealth(PostgresConnectionFactory connections)
    : StoreHealth(async cancellationToken => await connections.OpenAsync(cancellationToken), PostgresStoreMigrator.Migrations);

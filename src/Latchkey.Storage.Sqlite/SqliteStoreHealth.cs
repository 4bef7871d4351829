namespace Latchkey.Storage.Sqlite;

/// <summary><see cref="StoreHealth"/> over this store's connections and migrations.</summary>
internal sealed class SqliteStoreHealth(SqliteConnectionFactory connections)
    : StoreHealth(async cancellationToken => await connections.OpenAsync(cancellationToken), SqliteStoreMigrator.Migrations);

namespace Latchkey.Storage.Sqlite;

/// <summary><see cref="SqlHashingKeyStore"/> over this store's connections and <see cref="SqliteDialect"/>.</summary>
internal sealed class SqliteHashingKeyStore(SqliteConnectionFactory connections)
    : SqlHashingKeyStore(async cancellationToken => await connections.OpenAsync(cancellationToken), SqliteDialect.Instance);

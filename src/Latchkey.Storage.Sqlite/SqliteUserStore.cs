namespace Latchkey.Storage.Sqlite;

/// <summary><see cref="SqlUserStore"/> over this store's connections and <see cref="SqliteDialect"/>.</summary>
internal sealed class SqliteUserStore(SqliteConnectionFactory connections)
    : SqlUserStore(async cancellationToken => await connections.OpenAsync(cancellationToken), SqliteDialect.Instance);

using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite;

/// <summary>
/// <see cref="StoreHealth"/> over this store's connections and migrations. The file is unavailable while another
/// writer holds it past the busy timeout (SQLITE_BUSY, SQLITE_LOCKED and their extended codes).
/// </summary>
internal sealed class SqliteStoreHealth(SqliteConnectionFactory connections)
    : StoreHealth(async cancellationToken => await connections.OpenAsync(cancellationToken), SqliteStoreMigrator.Migrations)
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public override bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SqliteException sqlite)
            {
                return (sqlite.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked;
            }
        }

        return false;
    }
}

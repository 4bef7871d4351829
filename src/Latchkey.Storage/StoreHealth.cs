using System.Data.Common;
using Dapper;
using Latchkey.Stores;

namespace Latchkey.Storage;

/// <summary>
/// Ready when the database answers and its schema is at least the one this build knows. Each store derives its own,
/// naming how it opens a connection and its migrations, and which of its provider's exceptions mean "unavailable".
/// </summary>
internal abstract class StoreHealth : IStoreHealth
{
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly MigrationCatalog _migrations;

    /// <param name="open">Opens a connection to the store's database.</param>
    /// <param name="migrations">The store's migrations: the schema must be at least at the latest.</param>
    protected StoreHealth(Func<CancellationToken, Task<DbConnection>> open, MigrationCatalog migrations)
    {
        _open = open;
        _migrations = migrations;
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _open(cancellationToken);
            var version = await connection.ExecuteScalarAsync<long?>(
                new CommandDefinition("SELECT MAX(version) FROM schema_migrations", cancellationToken: cancellationToken));
            return version >= _migrations.LatestVersion;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A readiness probe answers "not ready"; the reason (a locked or unreadable file, an unreachable or
            // refusing server, a missing table) shows in the store's own calls.
            return false;
        }
    }

    public abstract bool IsUnavailable(Exception exception);
}

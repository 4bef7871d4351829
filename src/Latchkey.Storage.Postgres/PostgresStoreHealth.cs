using Dapper;
using Latchkey.Stores;

namespace Latchkey.Storage.Postgres;

/// <summary>Ready when the database answers and its schema is at least the one this build knows.</summary>
internal sealed class PostgresStoreHealth : IStoreHealth
{
    private readonly PostgresConnectionFactory _connections;

    public PostgresStoreHealth(PostgresConnectionFactory connections)
    {
        _connections = connections;
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _connections.OpenAsync(cancellationToken);
            var version = await connection.ExecuteScalarAsync<long?>(
                new CommandDefinition("SELECT MAX(version) FROM schema_migrations", cancellationToken: cancellationToken));
            return version >= MigrationCatalog.LatestVersion;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A readiness probe answers "not ready"; the reason (unreachable, refused, missing table) shows in the
            // store's own calls.
            return false;
        }
    }
}

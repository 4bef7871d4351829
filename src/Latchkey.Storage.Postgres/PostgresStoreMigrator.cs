using Dapper;
using Latchkey.Stores;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// Applies the embedded migrations that a database lacks, each in its own transaction together with its row in
/// <c>schema_migrations</c> (PostgreSQL's DDL is transactional). The whole run holds a session-level advisory lock,
/// so of several nodes starting at once the first migrates and the others wait for it, then find nothing left to do.
/// Under the same lock, the first Data Protection key is created when the host keeps its keys here
/// (<see cref="DataProtectionFirstKey"/>), so nodes starting together share one key from the start.
/// </summary>
internal sealed partial class PostgresStoreMigrator : IStoreMigrator
{
    // The lock is per database and per schema (a schema is a separate store): the two-key form, with a constant
    // for "Latchkey migrations" and the schema's name hashed.
    private const int LockClass = 0x4C4B4D47;

    private const string LockSql = "SELECT pg_advisory_lock(@LockClass, hashtext(current_schema()))";

    private const string UnlockSql = "SELECT pg_advisory_unlock(@LockClass, hashtext(current_schema()))";

    private const string CreateHistorySql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text    NOT NULL,
            applied_at bigint  NOT NULL
        )
        """;

    /// <summary>The migrations embedded in this assembly (Migrations/NNNN_name.sql).</summary>
    public static readonly MigrationCatalog Migrations = new(typeof(PostgresStoreMigrator).Assembly);

    private readonly PostgresConnectionFactory _connections;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresStoreMigrator> _logger;
    private readonly DataProtectionFirstKey? _firstKey;

    /// <param name="firstKey">Registered by <c>PersistKeysToLatchkeyPostgres()</c>: the Data Protection key ring's first key, made under the lock.</param>
    public PostgresStoreMigrator(PostgresConnectionFactory connections, TimeProvider time, ILogger<PostgresStoreMigrator> logger, DataProtectionFirstKey? firstKey = null)
    {
        _connections = connections;
        _time = time;
        _logger = logger;
        _firstKey = firstKey;
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(LockSql, new { LockClass }, cancellationToken: cancellationToken));
        try
        {
            await MigrateLockedAsync(connection, cancellationToken);
            _firstKey?.Ensure();
        }
        finally
        {
            // A pooled connection keeps session locks: release it here, whatever happened. If the connection broke,
            // the server released the lock when the session ended.
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await connection.ExecuteAsync(new CommandDefinition(UnlockSql, new { LockClass }, cancellationToken: CancellationToken.None));
            }
        }
    }

    private async Task MigrateLockedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var latest = Migrations.LatestVersion;
        await connection.ExecuteAsync(new CommandDefinition(CreateHistorySql, cancellationToken: cancellationToken));
        var current = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT MAX(version) FROM schema_migrations", cancellationToken: cancellationToken));

        // An older build must not write to a schema it does not understand (say, after a rollback of the
        // application but not of the database).
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, but this build of Latchkey knows versions up to {latest}. " +
                "Run a newer Latchkey, or restore the database from before the upgrade.");
        }

        foreach (var migration in Migrations.All)
        {
            if (migration.Version <= (current ?? 0))
            {
                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await MigrationCatalog.ApplyAsync(connection, transaction, migration, _time.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(_logger, migration.Version, migration.Name);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied database migration {Version} ({Name}).")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}

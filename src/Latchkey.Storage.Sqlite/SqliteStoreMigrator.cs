using Dapper;
using Latchkey.Stores;
using Microsoft.Extensions.Logging;

namespace Latchkey.Storage.Sqlite;

/// <summary>
/// Applies the embedded migrations that a database lacks, each in its own <c>BEGIN IMMEDIATE</c> transaction
/// together with its row in <c>schema_migrations</c>. Whether a version is applied is read inside that
/// transaction, so two processes starting at once take turns and the second finds nothing left to do.
/// </summary>
internal sealed partial class SqliteStoreMigrator : IStoreMigrator
{
    private const string CreateHistorySql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        ) STRICT
        """;

    /// <summary>The migrations embedded in this assembly (Migrations/NNNN_name.sql).</summary>
    public static readonly MigrationCatalog Migrations = new(typeof(SqliteStoreMigrator).Assembly);

    private readonly SqliteConnectionFactory _connections;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteStoreMigrator> _logger;

    public SqliteStoreMigrator(SqliteConnectionFactory connections, TimeProvider time, ILogger<SqliteStoreMigrator> logger)
    {
        _connections = connections;
        _time = time;
        _logger = logger;
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var latest = Migrations.LatestVersion;
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using (var transaction = connection.BeginTransaction(deferred: false))
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateHistorySql, transaction: transaction, cancellationToken: cancellationToken));
            var current = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MAX(version) FROM schema_migrations",
                transaction: transaction,
                cancellationToken: cancellationToken));

            // An older build must not write to a schema it does not understand (say, after a rollback of the
            // application but not of the database).
            if (current > latest)
            {
                throw new InvalidOperationException(
                    $"The database schema is at version {current}, but this build of Latchkey knows versions up to {latest}. " +
                    "Run a newer Latchkey, or restore the database from before the upgrade.");
            }

            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var migration in Migrations.All)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var applied = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT 1 FROM schema_migrations WHERE version = @Version",
                new { migration.Version },
                transaction,
                cancellationToken: cancellationToken));
            if (applied is not null)
            {
                continue;
            }

            await MigrationCatalog.ApplyAsync(connection, transaction, migration, _time.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(_logger, migration.Version, migration.Name);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied database migration {Version} ({Name}).")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}

using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace Latchkey.Storage.Sqlite;

/// <summary>
/// Opens connections with the settings every store relies on. The pragmas belong to the physical connection, which
/// the pool hands out again and again, so they are applied once per physical connection (recognised by its native
/// handle) rather than on every open: re-running them cost 3–10 µs (quiet to busy machine) of every store call,
/// whose whole cost is about 20 µs on a quiet one (see docs/benchmarks.md).
/// </summary>
internal sealed class SqliteConnectionFactory
{
    // busy_timeout first, so that switching to WAL waits for another process instead of failing.
    // synchronous=FULL: in WAL mode NORMAL may lose the last commits on power loss; a create or revoke that
    // returned must survive a crash the next instant. foreign_keys is off by default in SQLite.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

    private readonly string _connectionString;
    private readonly string? _folder;
    private static readonly object Configured = new();

    private readonly ConditionalWeakTable<sqlite3, object> _configured = new();
    private volatile bool _prepared;

    public SqliteConnectionFactory(IOptions<SqliteStoreOptions> options)
    {
        _connectionString = options.Value.ConnectionString;
        _folder = FolderOf(_connectionString);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_prepared && _folder is not null)
        {
            Directory.CreateDirectory(_folder);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var handle = connection.Handle!;
            if (_configured.TryGetValue(handle, out _))
            {
                return connection;
            }

            await using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (!_prepared)
            {
                // WAL is a property of the database file, so once per process is enough; it lets readers carry
                // on while a writer commits.
                command.CommandText = "PRAGMA journal_mode = WAL;";
                await command.ExecuteNonQueryAsync(cancellationToken);
                _prepared = true;
            }

            // Only now: a connection whose pragmas failed is never marked, so it gets them on its next open.
            _configured.AddOrUpdate(handle, Configured);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string? FolderOf(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory
            || string.IsNullOrEmpty(dataSource)
            || dataSource == ":memory:"
            || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetDirectoryName(Path.GetFullPath(dataSource));
    }
}

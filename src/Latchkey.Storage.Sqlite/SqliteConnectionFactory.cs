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

    // Tokens are only hashes, but user names, addresses and the audit log are nobody else's business: the folder is
    // the owner's alone and the database file too. SQLite gives its -wal and -shm files the mode of the database
    // file, so creating that file 0600 before SQLite first opens it covers all three.
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _connectionString;
    private readonly string? _file;
    private static readonly object Configured = new();

    private readonly ConditionalWeakTable<sqlite3, object> _configured = new();
    private volatile bool _prepared;

    public SqliteConnectionFactory(IOptions<SqliteStoreOptions> options)
    {
        _connectionString = options.Value.ConnectionString;
        _file = FileOf(_connectionString);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_prepared && _file is not null)
        {
            CreateOwnerOnly(_file);
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

    /// <summary>
    /// Creates the database's folder (0700) and an empty database file (0600) if they do not exist yet. Existing
    /// ones keep their modes: the operator may have chosen them.
    /// </summary>
    private static void CreateOwnerOnly(string file)
    {
        var folder = Path.GetDirectoryName(file)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        try
        {
            // An empty file is a valid empty SQLite database.
            using var created = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });
        }
        catch (IOException) when (File.Exists(file))
        {
            // It exists already (or another process created it a moment ago).
        }
    }

    private static string? FileOf(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        // Only a file SQLite would create itself (not in memory, not read-only, not a URI) is created beforehand.
        if (builder.Mode != SqliteOpenMode.ReadWriteCreate
            || string.IsNullOrEmpty(dataSource)
            || dataSource == ":memory:"
            || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetFullPath(dataSource);
    }
}

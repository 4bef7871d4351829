using Dapper;
using Latchkey.Storage.Sqlite;
using Latchkey.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Latchkey.Server.Moving;

/// <summary>
/// The SQLite installation being moved: its database file, read in one read transaction, so every table is read as
/// of one moment even if something else still writes to the file. Opened read-only; the only write it may make is
/// the one the server itself would make on its next start there, bringing an older schema up to this build's.
/// </summary>
internal sealed class SqliteSource : IAsyncDisposable
{
    private const int SqliteNotADatabase = 26;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _snapshot;

    private SqliteSource(SqliteConnection connection, SqliteTransaction snapshot, IReadOnlyDictionary<string, IReadOnlyList<string>> tables)
    {
        _connection = connection;
        _snapshot = snapshot;
        Tables = tables;
    }

    /// <summary>Each table's columns, by name (SQLite's own tables left out).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tables { get; }

    /// <summary>
    /// Opens <paramref name="file"/>: it must exist and be Latchkey's SQLite database. A schema older than this build's
    /// is migrated first (said on <paramref name="output"/>); a newer one is refused.
    /// </summary>
    public static async Task<SqliteSource> OpenAsync(string file, TextWriter output, CancellationToken cancellationToken)
    {
        if (Directory.Exists(file))
        {
            throw new CopyFailure($"{file} is a folder; give the SQLite database file (usually <data>/latchkey.db).");
        }

        if (!File.Exists(file))
        {
            throw new CopyFailure($"there is no SQLite database at {file}; give its path (copy-from-sqlite /path/to/latchkey.db) or set Latchkey__DataDirectory to the SQLite installation's data folder.");
        }

        var version = await ReadSchemaVersionAsync(file, cancellationToken);
        var latest = SqliteStoreMigrator.Migrations.LatestVersion;
        if (version > latest)
        {
            throw new CopyFailure($"{file} is at schema version {version}, but this build of Latchkey knows versions up to {latest}; run the copy with the release that last served it.");
        }

        if (version < latest)
        {
            await MigrateAsync(file, cancellationToken);
            await output.WriteLineAsync($"Brought {file} from schema version {version} to {latest} first, as this release's server does on its next start there.");
        }

        var connection = new SqliteConnection(ReadOnly(file));
        try
        {
            await connection.OpenAsync(cancellationToken);
            var snapshot = connection.BeginTransaction(deferred: true);
            var tables = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var names = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                transaction: snapshot,
                cancellationToken: cancellationToken));
            foreach (var name in names)
            {
                var columns = await connection.QueryAsync<string>(new CommandDefinition(
                    "SELECT name FROM pragma_table_info(@name) ORDER BY cid", new { name }, snapshot, cancellationToken: cancellationToken));
                tables[name] = columns.ToList();
            }

            return new SqliteSource(connection, snapshot, tables);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<long> CountAsync(string table, CancellationToken cancellationToken)
        => _connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {TableCopy.Quote(table)}", transaction: _snapshot, cancellationToken: cancellationToken));

    /// <summary>
    /// The highest id an AUTOINCREMENT table ever handed out, which is above its largest remaining id when rows were
    /// pruned: ids are never reused, so the PostgreSQL sequence must start past this one.
    /// </summary>
    public async Task<long?> HighestIdEverAsync(string table, CancellationToken cancellationToken)
    {
        if (!await HasSequenceTableAsync(cancellationToken))
        {
            return null;
        }

        return await _connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT seq FROM sqlite_sequence WHERE name = @table", new { table }, _snapshot, cancellationToken: cancellationToken));
    }

    /// <summary>Reads <paramref name="columns"/> of every row of <paramref name="table"/>, in storage order.</summary>
    public async Task<SqliteDataReader> ReadAsync(string table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _snapshot;
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(TableCopy.Quote))} FROM {TableCopy.Quote(table)}";
        return await command.ExecuteReaderAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _snapshot.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static string ReadOnly(string file)
        => new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();

    private async Task<bool> HasSequenceTableAsync(CancellationToken cancellationToken)
        => await _connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'", transaction: _snapshot, cancellationToken: cancellationToken)) > 0;

    /// <summary>The schema version of Latchkey's database in <paramref name="file"/>, or a refusal if it is not one.</summary>
    private static async Task<long> ReadSchemaVersionAsync(string file, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ReadOnly(file));
        try
        {
            await connection.OpenAsync(cancellationToken);
            var tables = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('schema_migrations', 'users', 'tokens')",
                cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
            if (tables.Count < 3)
            {
                throw new CopyFailure($"{file} is a SQLite database but not Latchkey's (it has no users, tokens and schema_migrations tables).");
            }

            return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT max(version) FROM schema_migrations", cancellationToken: cancellationToken)) ?? 0;
        }
        catch (SqliteException notSqlite) when (notSqlite.SqliteErrorCode == SqliteNotADatabase)
        {
            throw new CopyFailure($"{file} is not a SQLite database.", notSqlite);
        }
        catch (SqliteException unreadable)
        {
            throw new CopyFailure($"{file} cannot be read: {unreadable.Message}", unreadable);
        }
    }

    /// <summary>What the server would do on its next start on <paramref name="file"/>: its own migrations, in its own transactions.</summary>
    private static async Task MigrateAsync(string file, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddLatchkeySqliteStore(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await using var provider = services.BuildServiceProvider();
        try
        {
            await provider.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
        }
        catch (SqliteException failed)
        {
            throw new CopyFailure($"{file} is at an older schema version and could not be brought up to date: {failed.Message}", failed);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Dapper;
using Npgsql;

namespace Latchkey.Server.Moving;

/// <summary>
/// Copies a SQLite installation into an empty, migrated PostgreSQL database in one transaction: every table both
/// schemas have, by name, with the columns they share, parents before children; the Data Protection keys if the
/// database keeps them; then the id sequences past the copied ids. Any failure, or a cancellation, rolls it all back.
/// </summary>
internal sealed class SqliteToPostgresCopy
{
    /// <summary>Bookkeeping that belongs to each database: its migration history, and the change feed of its own nodes.</summary>
    private static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal) { "schema_migrations", "token_changes" };

    private const string DataProtectionKeysTable = "data_protection_keys";

    private const string ColumnsSql = """
        SELECT table_name AS "Table", column_name AS "Name", udt_name AS "Type", is_nullable = 'YES' AS "Nullable",
               column_default IS NOT NULL AS "HasDefault",
               is_identity = 'YES' OR coalesce(column_default, '') LIKE 'nextval(%' AS "Identity"
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND is_generated = 'NEVER'
        ORDER BY table_name, ordinal_position
        """;

    // Parent and child of every foreign key between two tables of the schema.
    private const string ForeignKeysSql = """
        SELECT child.relname AS "Child", parent.relname AS "Parent"
        FROM pg_constraint c
        JOIN pg_class child ON child.oid = c.conrelid
        JOIN pg_class parent ON parent.oid = c.confrelid
        WHERE c.contype = 'f' AND child.relnamespace = current_schema()::regnamespace
        """;

    private readonly SqliteSource _source;
    private readonly string _keysFolder;
    private readonly TextWriter _output;

    public SqliteToPostgresCopy(SqliteSource source, string keysFolder, TextWriter output)
    {
        _source = source;
        _keysFolder = keysFolder;
        _output = output;
    }

    /// <summary>Copies into <paramref name="connection"/>'s database, which must be migrated and hold no data yet.</summary>
    public async Task<CopySummary> RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var timer = Stopwatch.StartNew();
        var target = (await connection.QueryAsync<(string Table, string Name, string Type, bool Nullable, bool HasDefault, bool Identity)>(
                new CommandDefinition(ColumnsSql, cancellationToken: cancellationToken)))
            .GroupBy(column => column.Table, StringComparer.Ordinal)
            .ToDictionary(
                table => table.Key,
                table => (IReadOnlyList<PostgresColumn>)table.Select(c => new PostgresColumn(c.Name, c.Type, c.Nullable, c.HasDefault, c.Identity)).ToList(),
                StringComparer.Ordinal);

        var names = _source.Tables.Keys.Where(table => target.ContainsKey(table) && !NotCopied.Contains(table)).ToList();
        foreach (var missing in _source.Tables.Keys.Where(table => !target.ContainsKey(table) && !NotCopied.Contains(table)))
        {
            await _output.WriteLineAsync($"Not copied: SQLite's table {missing}, which the PostgreSQL schema does not have.");
        }

        var ordered = await ParentsFirstAsync(connection, names, cancellationToken);
        var tables = ordered.Select(table => TableCopy.Plan(table, _source.Tables[table], target[table])).ToList();
        foreach (var table in tables.Where(table => table.LeftOut.Count > 0))
        {
            await _output.WriteLineAsync($"Not copied: SQLite's {string.Join(", ", table.LeftOut.Select(column => $"{table.Table}.{column}"))}, which the PostgreSQL schema does not have.");
        }

        var keyColumns = target.GetValueOrDefault(DataProtectionKeysTable)?.Select(column => column.Name).ToHashSet(StringComparer.Ordinal);
        var keysInDatabase = keyColumns is not null && keyColumns.Contains("friendly_name") && keyColumns.Contains("xml");

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Nobody reads or writes these tables until the copy commits or rolls back, and the check that they are empty
        // holds until then. Reads too: a node started too early that saw no users would create an 'admin' of its own
        // in the copied installation, so it waits (ACCESS EXCLUSIVE; EXCLUSIVE still lets plain SELECTs through).
        var locked = tables.Select(table => TableCopy.Quote(table.Table)).Concat(keysInDatabase ? [DataProtectionKeysTable] : []).ToList();
        if (locked.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition($"LOCK TABLE {string.Join(", ", locked)} IN ACCESS EXCLUSIVE MODE", transaction: transaction, cancellationToken: cancellationToken));
        }

        await RefuseIfNotEmptyAsync(connection, transaction, tables, cancellationToken);

        var rows = new List<(string Table, long Rows)>();
        foreach (var table in tables)
        {
            rows.Add((table.Table, await table.CopyAsync(_source, connection, _output, cancellationToken)));
        }

        var keys = keysInDatabase ? await CopyDataProtectionKeysAsync(connection, transaction, cancellationToken) : (int?)null;
        await MoveSequencesAsync(connection, transaction, tables, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CopySummary(rows, keys, timer.Elapsed);
    }

    private static async Task RefuseIfNotEmptyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TableCopy> tables, CancellationToken cancellationToken)
    {
        var held = new List<string>();
        foreach (var table in tables)
        {
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT count(*) FROM {TableCopy.Quote(table.Table)}", transaction: transaction, cancellationToken: cancellationToken));
            if (count > 0)
            {
                held.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Table}: {count:N0}"));
            }
        }

        if (held.Count > 0)
        {
            throw new CopyFailure(
                $"the PostgreSQL database already holds data ({string.Join(", ", held)}); copy into a new, empty database " +
                "(no node may have started on it). Nothing was copied.");
        }
    }

    /// <summary>Tables in an order in which every foreign key's parent comes before its children.</summary>
    private static async Task<IReadOnlyList<string>> ParentsFirstAsync(NpgsqlConnection connection, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var keys = (await connection.QueryAsync<(string Child, string Parent)>(new CommandDefinition(ForeignKeysSql, cancellationToken: cancellationToken)))
            .Where(key => key.Child != key.Parent)
            .ToList();
        var ordered = new List<string>();
        var remaining = tables.OrderBy(table => table, StringComparer.Ordinal).ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(table => !keys.Any(key => key.Child == table && remaining.Contains(key.Parent)))
                ?? throw new CopyFailure($"the foreign keys between {string.Join(", ", remaining)} form a cycle; this build cannot order the copy. Nothing was written.");
            ordered.Add(next);
            remaining.Remove(next);
        }

        return ordered;
    }

    /// <summary>
    /// The key files the SQLite installation's server wrote (<c>PersistKeysToFileSystem</c> names each
    /// <c>&lt;friendly name&gt;.xml</c>), so the nodes can still read what those keys protected: two-factor secrets, forms.
    /// </summary>
    private async Task<int> CopyDataProtectionKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_keysFolder))
        {
            return 0;
        }

        var copied = 0;
        foreach (var file in Directory.EnumerateFiles(_keysFolder, "*.xml").Order(StringComparer.Ordinal))
        {
            var xml = await File.ReadAllTextAsync(file, cancellationToken);
            try
            {
                // Every node parses every row each time it loads the key ring: one that is not XML would stop them all.
                XElement.Parse(xml);
            }
            catch (XmlException notXml)
            {
                throw new CopyFailure($"{file} is not a Data Protection key (not XML); move it out of {_keysFolder} and run the copy again. Nothing was copied.", notXml);
            }

            copied += await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {DataProtectionKeysTable} (friendly_name, xml) VALUES (@Name, @Xml) ON CONFLICT (friendly_name) DO NOTHING",
                new { Name = Path.GetFileNameWithoutExtension(file), Xml = xml },
                transaction,
                cancellationToken: cancellationToken));
        }

        return copied;
    }

    /// <summary>
    /// Moves each identity sequence past the highest id the SQLite table ever handed out (its AUTOINCREMENT counter,
    /// above the largest remaining id when rows were pruned), so ids stay unique and increasing. Sequences are not
    /// transactional: if the commit after this fails, they have only skipped some ids.
    /// </summary>
    private async Task MoveSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TableCopy> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            foreach (var column in table.SequenceColumns)
            {
                var copied = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    $"SELECT max({TableCopy.Quote(column.Name)}) FROM {TableCopy.Quote(table.Table)}", transaction: transaction, cancellationToken: cancellationToken));
                var everHandedOut = await _source.HighestIdEverAsync(table.Table, cancellationToken);
                var highest = Math.Max(copied ?? 0, everHandedOut ?? 0);
                if (highest > 0)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "SELECT setval(pg_get_serial_sequence(quote_ident(@Table), @Column), @Highest)",
                        new { table.Table, Column = column.Name, Highest = highest },
                        transaction,
                        cancellationToken: cancellationToken));
                }
            }
        }
    }
}

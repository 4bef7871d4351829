using System.Diagnostics;
using System.Globalization;
using Latchkey.Storage;
using Npgsql;

namespace Latchkey.Server.Moving;

/// <summary>
/// One table's copy: the columns both databases have, plus the few a PostgreSQL store derives from another column
/// (which SQLite computes in its queries instead), streamed from SQLite into a binary <c>COPY</c>. Planned before
/// anything is written, so a column this build cannot fill is refused up front.
/// </summary>
internal sealed class TableCopy
{
    /// <summary>How often a long table reports how far it got.</summary>
    public const int ProgressEvery = 100_000;

    // Columns only the PostgreSQL store has, filled from another column the way the store fills them.
    private static readonly Dictionary<(string Table, string Column), (string From, Func<object, object> Derive)> Derived = new()
    {
        [("tokens", "name_fold")] = ("name", name => TokenQuerySql.Fold((string)name)),
    };

    private readonly IReadOnlyList<string> _sourceColumns;
    private readonly IReadOnlyList<PostgresColumn> _targetColumns;
    private readonly IReadOnlyList<Func<object?[], object?>> _values;

    private TableCopy(string table, IReadOnlyList<string> sourceColumns, IReadOnlyList<PostgresColumn> targetColumns, IReadOnlyList<Func<object?[], object?>> values, IReadOnlyList<string> leftOut)
    {
        Table = table;
        _sourceColumns = sourceColumns;
        _targetColumns = targetColumns;
        _values = values;
        LeftOut = leftOut;
    }

    public string Table { get; }

    /// <summary>SQLite columns that PostgreSQL does not have (said, not copied).</summary>
    public IReadOnlyList<string> LeftOut { get; }

    /// <summary>The columns whose sequences must move past the copied ids.</summary>
    public IEnumerable<PostgresColumn> SequenceColumns => _targetColumns.Where(column => column.Identity);

    public static TableCopy Plan(string table, IReadOnlyList<string> source, IReadOnlyList<PostgresColumn> target)
    {
        var sourceColumns = source.Where(column => target.Any(t => t.Name == column)).ToList();
        var targetColumns = new List<PostgresColumn>();
        var values = new List<Func<object?[], object?>>();
        foreach (var column in target)
        {
            var type = column.CopyType;
            var index = sourceColumns.IndexOf(column.Name);
            if (index >= 0)
            {
                if (type is null)
                {
                    throw new CopyFailure($"PostgreSQL's {table}.{column.Name} is of type {column.Type}, which this build cannot copy into; nothing was written.");
                }

                targetColumns.Add(column);
                values.Add(row => row[index] is { } value ? Convert(table, column, value) : null);
            }
            else if (Derived.TryGetValue((table, column.Name), out var derived) && sourceColumns.IndexOf(derived.From) is var from and >= 0)
            {
                targetColumns.Add(column);
                values.Add(row => row[from] is { } value ? derived.Derive(value) : null);
            }
            else if (!column.Nullable && !column.HasDefault && !column.Identity)
            {
                throw new CopyFailure($"PostgreSQL's {table}.{column.Name} must have a value but the SQLite database has no such column; this build cannot copy {table}, nothing was written.");
            }
        }

        var leftOut = source.Where(column => !sourceColumns.Contains(column)).ToList();
        return new TableCopy(table, sourceColumns, targetColumns, values, leftOut);
    }

    /// <summary>Streams every row into <paramref name="connection"/> (inside the caller's transaction) and says how far it got.</summary>
    public async Task<long> CopyAsync(SqliteSource source, NpgsqlConnection connection, TextWriter output, CancellationToken cancellationToken)
    {
        var total = await source.CountAsync(Table, cancellationToken);
        var timer = Stopwatch.StartNew();
        var copied = 0L;
        await using (var reader = await source.ReadAsync(Table, _sourceColumns, cancellationToken))
        await using (var importer = await connection.BeginBinaryImportAsync(
            $"COPY {Quote(Table)} ({string.Join(", ", _targetColumns.Select(column => Quote(column.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            var row = new object?[_sourceColumns.Count];
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                await importer.StartRowAsync(cancellationToken);
                for (var i = 0; i < _targetColumns.Count; i++)
                {
                    if (_values[i](row) is { } value)
                    {
                        await importer.WriteAsync(value, _targetColumns[i].CopyType!.Value, cancellationToken);
                    }
                    else
                    {
                        await importer.WriteNullAsync(cancellationToken);
                    }
                }

                if (++copied % ProgressEvery == 0 && copied < total)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {Table}: {copied:N0} of {total:N0} rows"));
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {Table}: {copied:N0} {(copied == 1 ? "row" : "rows")} ({timer.Elapsed.TotalSeconds:0.0} s)"));
        return copied;
    }

    /// <summary>A table or column name as an identifier both SQLite and PostgreSQL read.</summary>
    public static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static object Convert(string table, PostgresColumn column, object value)
        => column.Convert(value)
            ?? throw new CopyFailure($"{table}.{column.Name} holds {PostgresColumn.Describe(value)} that cannot be stored as PostgreSQL's {column.Type}; nothing was written.");
}

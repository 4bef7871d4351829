using System.Globalization;
using NpgsqlTypes;

namespace Latchkey.Server.Moving;

/// <summary>
/// A column of the PostgreSQL schema, and how a SQLite value becomes a value of its type. SQLite hands out what it
/// stored (INTEGER as long, REAL as double, TEXT as string, BLOB as byte[]); the stores keep times as integer unix
/// milliseconds and flags as 0/1, which is what a bigint or boolean column here is given. A timestamptz column (newer
/// tables) takes those milliseconds, or ISO 8601 text.
/// </summary>
internal sealed record PostgresColumn(string Name, string Type, bool Nullable, bool HasDefault, bool Identity)
{
    /// <summary>The binary COPY type of this column, or <c>null</c> if the copy does not know how to fill it.</summary>
    public NpgsqlDbType? CopyType => Type switch
    {
        "bool" => NpgsqlDbType.Boolean,
        "int2" => NpgsqlDbType.Smallint,
        "int4" => NpgsqlDbType.Integer,
        "int8" => NpgsqlDbType.Bigint,
        "float4" => NpgsqlDbType.Real,
        "float8" => NpgsqlDbType.Double,
        "numeric" => NpgsqlDbType.Numeric,
        "text" => NpgsqlDbType.Text,
        "varchar" => NpgsqlDbType.Varchar,
        "bpchar" => NpgsqlDbType.Char,
        "bytea" => NpgsqlDbType.Bytea,
        "timestamptz" => NpgsqlDbType.TimestampTz,
        "timestamp" => NpgsqlDbType.Timestamp,
        "date" => NpgsqlDbType.Date,
        "json" => NpgsqlDbType.Json,
        "jsonb" => NpgsqlDbType.Jsonb,
        "uuid" => NpgsqlDbType.Uuid,
        _ => null,
    };

    /// <summary>
    /// <paramref name="value"/> (not null) as this column's type, or <c>null</c> if it cannot be one. The caller names
    /// the row; the value itself is never put in a message (it may be a password hash or an encrypted secret).
    /// </summary>
    public object? Convert(object value) => (Type, value) switch
    {
        ("bool", long flag) when flag is 0 or 1 => flag == 1,
        ("bool", string text) when bool.TryParse(text, out var flag) => flag,
        ("int2", long number) when number is >= short.MinValue and <= short.MaxValue => (short)number,
        ("int4", long number) when number is >= int.MinValue and <= int.MaxValue => (int)number,
        ("int8", long number) => number,
        ("int2" or "int4" or "int8", string text) when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => Convert(number),
        ("float4", long number) => (float)number,
        ("float4", double number) => (float)number,
        ("float8", long number) => (double)number,
        ("float8", double number) => number,
        ("numeric", long number) => (decimal)number,
        ("numeric", double number) => (decimal)number,
        ("text" or "varchar" or "bpchar" or "json" or "jsonb", string text) => text,
        ("text" or "varchar" or "bpchar", long number) => number.ToString(CultureInfo.InvariantCulture),
        ("text" or "varchar" or "bpchar", double number) => number.ToString("R", CultureInfo.InvariantCulture),
        ("bytea", byte[] bytes) => bytes,
        ("timestamptz", long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime,
        ("timestamptz", string text) when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at.UtcDateTime,
        ("timestamp", long milliseconds) => DateTime.SpecifyKind(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime, DateTimeKind.Unspecified),
        ("timestamp", string text) when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) => DateTime.SpecifyKind(at, DateTimeKind.Unspecified),
        ("date", string text) when DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var day) => day,
        ("uuid", string text) when Guid.TryParse(text, out var id) => id,
        ("uuid", byte[] bytes) when bytes.Length == 16 => new Guid(bytes),
        _ => null,
    };

    /// <summary>How SQLite stored <paramref name="value"/>, for a message that must not show the value itself.</summary>
    public static string Describe(object value) => value switch
    {
        long => "an INTEGER",
        double => "a REAL",
        string => "a TEXT value",
        byte[] => "a BLOB",
        _ => value.GetType().Name,
    };
}

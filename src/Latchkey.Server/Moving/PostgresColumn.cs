using NpgsqlTypes;

namespace Latchkey.Server.Moving;

/// <summary>
/// A column of the PostgreSQL schema, and how a SQLite value becomes a value of its type. SQLite hands out what it
/// stored (INTEGER as long, TEXT as string, BLOB as byte[]); both stores keep times as integer unix milliseconds and
/// flags as 0/1, so the copy needs only the types the PostgreSQL schema uses. A column of another type (a later
/// migration's) is refused before anything is written, naming it: add its conversion here.
/// </summary>
internal sealed record PostgresColumn(string Name, string Type, bool Nullable, bool HasDefault, bool Identity)
{
    /// <summary>The binary COPY type of this column, or <c>null</c> if the copy does not know how to fill it.</summary>
    public NpgsqlDbType? CopyType => Type switch
    {
        "bool" => NpgsqlDbType.Boolean,
        "int4" => NpgsqlDbType.Integer,
        "int8" => NpgsqlDbType.Bigint,
        "text" => NpgsqlDbType.Text,
        "bytea" => NpgsqlDbType.Bytea,
        _ => null,
    };

    /// <summary>
    /// <paramref name="value"/> (not null) as this column's type, or <c>null</c> if it cannot be one. The caller names
    /// the row; the value itself is never put in a message (it may be a password hash or an encrypted secret).
    /// </summary>
    public object? Convert(object value) => (Type, value) switch
    {
        ("bool", long flag) when flag is 0 or 1 => flag == 1,
        ("int4", long number) when number is >= int.MinValue and <= int.MaxValue => (int)number,
        ("int8", long number) => number,
        ("text", string text) => text,
        ("bytea", byte[] bytes) => bytes,
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

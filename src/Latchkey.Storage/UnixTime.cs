namespace Latchkey.Storage;

/// <summary>Timestamps are stored as integer (SQLite INTEGER, PostgreSQL bigint) unix milliseconds, UTC: sortable, compact, and exact to the millisecond.</summary>
internal static class UnixTime
{
    public static long ToStore(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToStore(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromStore(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}

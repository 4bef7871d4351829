namespace Latchkey.Storage.Postgres;

/// <summary>Timestamps are stored as INTEGER unix milliseconds, UTC: sortable, compact, and exact to the millisecond.</summary>
internal static class UnixTime
{
    public static long ToStore(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToStore(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromStore(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}

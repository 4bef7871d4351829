namespace Latchkey;

/// <summary>The managers' clock reading.</summary>
internal static class StoreClock
{
    /// <summary>
    /// Now, to the whole millisecond: stores keep milliseconds, so reading the clock at that precision makes what a
    /// manager returns equal what it stored.
    /// </summary>
    public static DateTimeOffset GetStoreNow(this TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond));
    }
}

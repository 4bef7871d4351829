namespace Latchkey.Tests.Fakes;

/// <summary>What a database column does to an instant: UTC, whole milliseconds.</summary>
internal static class Timestamps
{
    public static DateTimeOffset Truncate(DateTimeOffset value)
        => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public static DateTimeOffset? Truncate(DateTimeOffset? value) => value is { } v ? Truncate(v) : null;
}

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>The system clock, moved forward on demand, so a test can let a token expire without waiting.</summary>
public sealed class AdjustableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Moves the clock to just after <paramref name="instant"/> (a token's or session's expiry), if it is not there yet.</summary>
    public void AdvancePast(DateTimeOffset instant)
    {
        var by = instant - GetUtcNow() + TimeSpan.FromMilliseconds(1);
        if (by > TimeSpan.Zero)
        {
            Advance(by);
        }
    }
}

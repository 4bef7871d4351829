namespace Latchkey.Tests.Fakes;

/// <summary>A clock that moves only when a test moves it.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _utcNow;

    public ManualTimeProvider(DateTimeOffset start) => _utcNow = start.ToUniversalTime();

    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_lock)
            {
                return _utcNow;
            }
        }

        set
        {
            lock (_lock)
            {
                _utcNow = value.ToUniversalTime();
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public void Advance(TimeSpan delta)
    {
        lock (_lock)
        {
            _utcNow += delta;
        }
    }
}

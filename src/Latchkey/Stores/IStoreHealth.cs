namespace Latchkey.Stores;

/// <summary>Lets a host ask whether the store answers (readiness checks).</summary>
public interface IStoreHealth
{
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);
}

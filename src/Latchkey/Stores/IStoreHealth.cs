namespace Latchkey.Stores;

/// <summary>Lets a host ask whether the store answers (readiness checks), and whether a failure says it does not.</summary>
public interface IStoreHealth
{
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="exception"/>, thrown by one of this store's calls, says the database cannot be reached
    /// or cannot serve right now (down, restarting, refusing or resetting connections, out of connections, locked past
    /// its timeout): a condition that passes by itself, which a host answers "try again shortly" (503) rather than as
    /// a bug (500). Only the store knows its provider's exceptions; one that cannot tell answers <c>false</c>.
    /// </summary>
    bool IsUnavailable(Exception exception) => false;
}

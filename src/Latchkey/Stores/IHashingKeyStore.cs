namespace Latchkey.Stores;

/// <summary>
/// What the store knows about the hashing keys (which live outside it): a check value recorded for each key id the
/// first time a node used it, and which key ids the stored tokens and recovery codes need. The engine compares a
/// node's key ring with it at start-up (<see cref="Tokens.HashingKeyCheck"/>); the store holds no rule of its own.
/// </summary>
public interface IHashingKeyStore
{
    /// <summary>Every key id recorded so far, with its check value and when it was first used.</summary>
    Task<IReadOnlyList<RecordedHashingKey>> ListRecordedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The key ids that tokens still able to authenticate at <paramref name="now"/> (not revoked, not expired) and
    /// unused recovery codes were hashed with: the keys a node cannot do without.
    /// </summary>
    Task<IReadOnlyList<string>> ListKeyIdsInUseAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records each key whose id is not recorded yet; a recorded id keeps its first check value.</summary>
    Task RecordAsync(IReadOnlyList<RecordedHashingKey> keys, CancellationToken cancellationToken);
}

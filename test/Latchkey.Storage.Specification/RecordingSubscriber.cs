using System.Collections.Concurrent;
using Latchkey.Changes;

namespace Latchkey.Storage.Specification;

/// <summary>A cache stand-in that writes down what its feed told it.</summary>
public sealed class RecordingSubscriber : ITokenChangeSubscriber
{
    private readonly ConcurrentQueue<TokenChange> _changes = new();
    private int _resets;

    public IReadOnlyList<long> TokenIds => [.. _changes.SelectMany(c => c.TokenIds).Distinct().Order()];

    public IReadOnlyList<long> UserIds => [.. _changes.Where(c => c.UserId is not null).Select(c => c.UserId!.Value).Distinct().Order()];

    public int Resets => Volatile.Read(ref _resets);

    public void OnChanged(TokenChange change) => _changes.Enqueue(change);

    public void OnReset() => Interlocked.Increment(ref _resets);
}

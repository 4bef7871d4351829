namespace Latchkey.Changes;

/// <summary>
/// Tokens whose authentication changed (revoked, rotated, re-scoped, re-dated), or a user all of whose tokens did.
/// It names what changed, never how: a node drops what it cached and reads the store again.
/// </summary>
public sealed record TokenChange(IReadOnlyList<long> TokenIds, long? UserId = null)
{
    public static TokenChange Tokens(IEnumerable<long> ids) => new([.. ids]);

    public static TokenChange User(long userId) => new([], userId);
}

namespace Latchkey.Stores;

/// <summary>
/// Rules decided by the policy that the store checks inside the update's transaction, so two concurrent renames
/// cannot both take one name. As on insert, only personal access tokens that are active at <see cref="Now"/> count.
/// </summary>
public sealed record UpdateConstraints(bool UniqueActiveName, DateTimeOffset Now)
{
    public static UpdateConstraints None(DateTimeOffset now) => new(false, now);
}

namespace Latchkey.Stores;

/// <summary>
/// Rules decided by the policy that the store checks inside the insert's transaction, so two concurrent creates
/// cannot both slip under a cap. Only personal access tokens that are active at <see cref="Now"/> count.
/// </summary>
public sealed record InsertConstraints(int MaxActivePerUser, bool UniqueActiveName, DateTimeOffset Now)
{
    public static InsertConstraints None(DateTimeOffset now) => new(0, false, now);
}

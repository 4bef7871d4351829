using Latchkey.Stores;

namespace Latchkey.Storage.Specification;

/// <summary>One store implementation's contracts, over a fresh, migrated, empty database.</summary>
public sealed record StoreUnderTest(
    ITokenStore Tokens,
    IUserStore Users,
    IAuditStore Audit,
    IStoreHealth Health,
    IStoreMigrator Migrator)
{
    /// <summary>What the store records about hashing keys; the SQL stores have it, a host's own store may not.</summary>
    public IHashingKeyStore? HashingKeys { get; init; }
}

using Latchkey.Stores;

namespace Latchkey.Storage.Specification;

/// <summary>One store implementation's contracts, over a fresh, migrated, empty database.</summary>
public sealed record StoreUnderTest(
    ITokenStore Tokens,
    IUserStore Users,
    IAuditStore Audit,
    IStoreHealth Health,
    IStoreMigrator Migrator);

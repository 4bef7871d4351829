using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Postgres.Tests;

public sealed class PostgresTwoFactorStoreTests(PostgresDatabase database) : TwoFactorStoreSpecification, IClassFixture<PostgresDatabase>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => database.CreateStoresAsync();
}

using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Postgres.Tests;

public sealed class PostgresUserStoreTests(PostgresDatabase database) : UserStoreSpecification, IClassFixture<PostgresDatabase>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => database.CreateStoresAsync();
}

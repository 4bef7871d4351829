using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Postgres.Tests;

public sealed class PostgresHashingKeyCheckTests(PostgresDatabase database) : HashingKeyCheckSpecification, IClassFixture<PostgresDatabase>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => database.CreateStoresAsync();
}

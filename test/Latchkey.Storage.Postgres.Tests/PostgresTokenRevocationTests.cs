using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Postgres.Tests;

public sealed class PostgresTokenRevocationTests(PostgresDatabase database) : TokenRevocationSpecification, IClassFixture<PostgresDatabase>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => database.CreateStoresAsync();
}

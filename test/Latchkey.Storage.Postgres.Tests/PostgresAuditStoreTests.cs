using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Postgres.Tests;

public sealed class PostgresAuditStoreTests(PostgresDatabase database) : AuditStoreSpecification, IClassFixture<PostgresDatabase>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => database.CreateStoresAsync();
}

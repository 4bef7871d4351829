using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Sqlite.Tests;

public sealed class SqliteAuditStoreTests(SqliteDatabaseFolder folder) : AuditStoreSpecification, IClassFixture<SqliteDatabaseFolder>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => folder.CreateStoresAsync();
}

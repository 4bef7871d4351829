using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Sqlite.Tests;

public sealed class SqliteTokenStoreTests(SqliteDatabaseFolder folder) : TokenStoreSpecification, IClassFixture<SqliteDatabaseFolder>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => folder.CreateStoresAsync();
}

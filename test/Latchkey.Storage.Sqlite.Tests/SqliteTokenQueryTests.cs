using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Sqlite.Tests;

public sealed class SqliteTokenQueryTests(SqliteDatabaseFolder folder) : TokenQuerySpecification, IClassFixture<SqliteDatabaseFolder>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => folder.CreateStoresAsync();
}

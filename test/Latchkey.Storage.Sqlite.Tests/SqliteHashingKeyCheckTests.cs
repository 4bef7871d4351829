using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Sqlite.Tests;

public sealed class SqliteHashingKeyCheckTests(SqliteDatabaseFolder folder) : HashingKeyCheckSpecification, IClassFixture<SqliteDatabaseFolder>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => folder.CreateStoresAsync();
}

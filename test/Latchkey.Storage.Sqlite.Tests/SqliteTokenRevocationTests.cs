using Latchkey.Storage.Specification;

namespace Latchkey.Storage.Sqlite.Tests;

public sealed class SqliteTokenRevocationTests(SqliteDatabaseFolder folder) : TokenRevocationSpecification, IClassFixture<SqliteDatabaseFolder>
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => folder.CreateStoresAsync();
}

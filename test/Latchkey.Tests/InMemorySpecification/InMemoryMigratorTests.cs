using Latchkey.Storage.Specification;

namespace Latchkey.Tests.InMemorySpecification;

public sealed class InMemoryMigratorTests : MigratorSpecification
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

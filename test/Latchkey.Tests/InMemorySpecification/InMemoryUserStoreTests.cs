using Latchkey.Storage.Specification;

namespace Latchkey.Tests.InMemorySpecification;

public sealed class InMemoryUserStoreTests : UserStoreSpecification
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

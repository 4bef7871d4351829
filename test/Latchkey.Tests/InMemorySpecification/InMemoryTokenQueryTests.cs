using Latchkey.Storage.Specification;

namespace Latchkey.Tests.InMemorySpecification;

public sealed class InMemoryTokenQueryTests : TokenQuerySpecification
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

using Latchkey.Storage.Specification;

namespace Latchkey.Tests.InMemorySpecification;

public sealed class InMemoryTokenRevocationTests : TokenRevocationSpecification
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

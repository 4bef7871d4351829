using Latchkey.Storage.Specification;

namespace Latchkey.Tests.InMemorySpecification;

public sealed class InMemoryAuditStoreTests : AuditStoreSpecification
{
    protected override Task<StoreUnderTest> CreateStoresAsync() => InMemoryStores.CreateAsync();
}

using Latchkey.Storage.Specification;
using Latchkey.Stores;
using Latchkey.Tests.Fakes;

namespace Latchkey.Tests.InMemorySpecification;

/// <summary>
/// The in-memory stores the engine's tests run on, offered to the store specification like any provider: the
/// engine's tests only mean something if the double keeps the same promises as SQLite.
/// </summary>
internal static class InMemoryStores
{
    public static Task<StoreUnderTest> CreateAsync()
    {
        var users = new InMemoryUserStore();
        var audit = new InMemoryAuditStore();
        var nothingToMigrate = new AlwaysReady();
        return Task.FromResult(new StoreUnderTest(new InMemoryTokenStore(users, audit), users, audit, nothingToMigrate, nothingToMigrate));
    }

    // Memory has no schema: it is ready from the start, and migrating it is a no-op.
    private sealed class AlwaysReady : IStoreHealth, IStoreMigrator
    {
        public Task<bool> IsReadyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

        public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using Latchkey.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Latchkey.Storage.Sqlite.Tests;

public sealed class SqliteServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(typeof(ITokenStore))]
    [InlineData(typeof(IUserStore))]
    [InlineData(typeof(IAuditStore))]
    [InlineData(typeof(IStoreHealth))]
    [InlineData(typeof(IStoreMigrator))]
    public void Every_store_contract_is_registered_once_as_a_singleton(Type contract)
    {
        var services = new ServiceCollection().AddLatchkeySqliteStore("Data Source=test.db");

        var registration = Assert.Single(services, descriptor => descriptor.ServiceType == contract);
        Assert.Equal(ServiceLifetime.Singleton, registration.Lifetime);
        Assert.True(contract.IsAssignableFrom(registration.ImplementationType));
    }

    [Fact]
    public void A_store_the_host_registered_first_is_kept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IAuditStore, HostAuditStore>();

        services.AddLatchkeySqliteStore("Data Source=test.db");

        Assert.Equal(typeof(HostAuditStore), Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IAuditStore)).ImplementationType);
    }

    [Fact]
    public void Connection_string_is_configured_as_store_options()
    {
        var services = new ServiceCollection().AddLatchkeySqliteStore("Data Source=/srv/latchkey/tokens.db");
        var options = new SqliteStoreOptions();

        foreach (var configure in services.Where(descriptor => descriptor.ServiceType == typeof(IConfigureOptions<SqliteStoreOptions>)))
        {
            ((IConfigureOptions<SqliteStoreOptions>)configure.ImplementationInstance!).Configure(options);
        }

        Assert.Equal("Data Source=/srv/latchkey/tokens.db", options.ConnectionString);
    }

    private sealed class HostAuditStore : IAuditStore
    {
        public Task AppendAsync(Auditing.AuditEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Page<Auditing.AuditEvent>> QueryAsync(int page, int perPage, CancellationToken cancellationToken)
            => Task.FromResult(new Page<Auditing.AuditEvent>([], 0, page, perPage));
    }
}

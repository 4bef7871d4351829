using Latchkey.Changes;
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

    [Fact]
    public void The_token_change_feed_is_the_one_every_process_on_the_file_shares_even_if_a_single_node_feed_came_first()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITokenChangeFeed, InProcessTokenChangeFeed>();

        services.AddLatchkeySqliteStore("Data Source=test.db");

        var registration = Assert.Single(services, descriptor => descriptor.ServiceType == typeof(ITokenChangeFeed));
        Assert.NotNull(registration.ImplementationFactory);
        Assert.Contains(services, descriptor => descriptor.ImplementationType == typeof(SqliteTokenChangePoller));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:05:00")]
    public void A_change_poll_interval_out_of_range_is_refused_naming_the_setting(string interval)
    {
        var services = new ServiceCollection()
            .AddLatchkeySqliteStore("Data Source=test.db", options => options.ChangePollInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture));
        var options = new SqliteStoreOptions();
        foreach (var configure in services.Where(descriptor => descriptor.ServiceType == typeof(IConfigureOptions<SqliteStoreOptions>)))
        {
            ((IConfigureOptions<SqliteStoreOptions>)configure.ImplementationInstance!).Configure(options);
        }

        var results = services
            .Where(descriptor => descriptor.ServiceType == typeof(IValidateOptions<SqliteStoreOptions>))
            .Select(descriptor => ((IValidateOptions<SqliteStoreOptions>)descriptor.ImplementationInstance!).Validate(Options.DefaultName, options))
            .ToList();

        Assert.Contains(results, result => result.Failed && result.FailureMessage.Contains("Latchkey:Storage:ChangePollInterval", StringComparison.Ordinal));
        Assert.True(services.Any(descriptor => descriptor.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)), "the poller runs as a hosted service");
    }

    private sealed class HostAuditStore : IAuditStore
    {
        public Task AppendAsync(Auditing.AuditEntry entry, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Page<Auditing.AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
            => Task.FromResult(new Page<Auditing.AuditEvent>([], 0, query.Page, query.PerPage));
    }
}

using Latchkey.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Latchkey.Storage.Postgres.Tests;

public sealed class PostgresServiceCollectionExtensionsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Theory]
    [InlineData(typeof(ITokenStore))]
    [InlineData(typeof(IUserStore))]
    [InlineData(typeof(IAuditStore))]
    [InlineData(typeof(IStoreHealth))]
    [InlineData(typeof(IStoreMigrator))]
    public void Every_store_contract_is_registered_once_as_a_singleton(Type contract)
    {
        var services = new ServiceCollection().AddLatchkeyPostgresStore("Host=db.internal;Database=latchkey");

        var registration = Assert.Single(services, descriptor => descriptor.ServiceType == contract);
        Assert.Equal(ServiceLifetime.Singleton, registration.Lifetime);
        Assert.True(contract.IsAssignableFrom(registration.ImplementationType));
    }

    [Fact]
    public void A_connection_string_npgsql_cannot_read_is_refused_at_registration()
        => Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddLatchkeyPostgresStore("Host=db.internal;Flavour=strawberry"));

    [Fact]
    public async Task The_registered_store_migrates_a_new_database_and_is_ready()
    {
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddLatchkeyPostgresStore(await database.NewSchemaAsync());
        await using var provider = services.BuildServiceProvider();

        Assert.False(await provider.GetRequiredService<IStoreHealth>().IsReadyAsync(CancellationToken.None));
        await provider.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);

        Assert.True(await provider.GetRequiredService<IStoreHealth>().IsReadyAsync(CancellationToken.None));
        Assert.Equal(0, await provider.GetRequiredService<IUserStore>().CountAsync(CancellationToken.None));
    }
}

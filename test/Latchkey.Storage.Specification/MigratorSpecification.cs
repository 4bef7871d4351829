namespace Latchkey.Storage.Specification;

/// <summary>Bringing the schema up to date: ready afterwards, harmless to repeat, safe when processes start together.</summary>
public abstract class MigratorSpecification : StoreSpecification
{
    [Fact]
    public async Task Migrated_store_is_ready()
    {
        var stores = await CreateStoresAsync();

        Assert.True(await stores.Health.IsReadyAsync(Cancel));
    }

    [Fact]
    public async Task Migrating_again_changes_nothing_and_keeps_the_data()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);

        await stores.Migrator.MigrateAsync(Cancel);
        await stores.Migrator.MigrateAsync(Cancel);

        Assert.Equal(owner, await stores.Users.FindAsync(owner.Id, Cancel));
        AssertSameToken(token, await stores.Tokens.FindAsync(token.Id, Cancel));
        Assert.True(await stores.Health.IsReadyAsync(Cancel));
    }

    [Fact]
    public async Task Concurrent_migrations_all_succeed()
    {
        var stores = await CreateStoresAsync();

        await RaceAsync(4, async _ => { await stores.Migrator.MigrateAsync(Cancel); return true; });

        Assert.True(await stores.Health.IsReadyAsync(Cancel));
        Assert.NotNull(await stores.Users.CreateAsync(new Users.NewUser("after", null, null, "x", false, T0), Cancel));
    }
}

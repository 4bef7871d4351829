using Latchkey.Users;

namespace Latchkey.Storage.Specification;

/// <summary>Creating, finding and listing users; usernames are unique without regard to case.</summary>
public abstract class UserStoreSpecification : StoreSpecification
{
    [Fact]
    public async Task Created_user_is_returned_as_stored_and_found_by_id()
    {
        var stores = await CreateStoresAsync();
        var request = new NewUser("Ada", "ada@example.com", "Ada Lovelace", "pbkdf2$secret-hash", true, T0.AddTicks(6_000));

        var user = await stores.Users.CreateAsync(request, Cancel);

        Assert.NotNull(user);
        Assert.True(user.Id > 0);
        Assert.Equal("Ada", user.Username);
        Assert.Equal("ada@example.com", user.Email);
        Assert.Equal("Ada Lovelace", user.Name);
        Assert.Equal("pbkdf2$secret-hash", user.PasswordHash);
        Assert.True(user.IsAdmin);
        Assert.Equal(UserStates.Active, user.State);
        Assert.True(user.IsActive);
        Assert.Equal(T0, user.CreatedAt);
        Assert.Equal(user, await stores.Users.FindAsync(user.Id, Cancel));
    }

    [Fact]
    public async Task A_new_password_hash_replaces_the_old_one_and_nothing_else()
    {
        var stores = await CreateStoresAsync();
        var user = (await stores.Users.CreateAsync(new NewUser("grace", "grace@example.com", "Grace", "old-hash", true, T0), Cancel))!;
        var other = (await stores.Users.CreateAsync(new NewUser("alan", null, null, "alan-hash", false, T0), Cancel))!;

        Assert.True(await stores.Users.SetPasswordHashAsync(user.Id, "new-hash", Cancel));

        Assert.Equal(user with { PasswordHash = "new-hash" }, await stores.Users.FindAsync(user.Id, Cancel));
        Assert.Equal(other, await stores.Users.FindAsync(other.Id, Cancel));
    }

    [Fact]
    public async Task Setting_the_password_of_an_unknown_user_changes_nothing()
    {
        var stores = await CreateStoresAsync();

        Assert.False(await stores.Users.SetPasswordHashAsync(424242, "new-hash", Cancel));
        Assert.Equal(0, await stores.Users.CountAsync(Cancel));
    }

    [Fact]
    public async Task User_without_email_or_name_keeps_them_empty()
    {
        var stores = await CreateStoresAsync();

        var user = await stores.Users.CreateAsync(new NewUser("bot", null, null, "x", false, T0), Cancel);

        Assert.Null(user!.Email);
        Assert.Null(user.Name);
        Assert.False(user.IsAdmin);
        Assert.Equal(user, await stores.Users.FindAsync(user.Id, Cancel));
    }

    [Fact]
    public async Task Username_lookup_ignores_case_and_keeps_the_spelling_it_was_created_with()
    {
        var stores = await CreateStoresAsync();
        var user = await CreateUserAsync(stores, "GraceHopper");

        Assert.Equal(user, await stores.Users.FindByUsernameAsync("gracehopper", Cancel));
        Assert.Equal(user, await stores.Users.FindByUsernameAsync("GRACEHOPPER", Cancel));
        Assert.Equal("GraceHopper", (await stores.Users.FindByUsernameAsync("graceHOPPER", Cancel))!.Username);
    }

    [Fact]
    public async Task Username_taken_in_any_case_is_answered_with_null()
    {
        var stores = await CreateStoresAsync();
        var original = await CreateUserAsync(stores, "ada");

        var sameCase = await stores.Users.CreateAsync(new NewUser("ada", null, null, "x", false, T0), Cancel);
        var otherCase = await stores.Users.CreateAsync(new NewUser("ADA", null, null, "x", true, T0), Cancel);

        Assert.Null(sameCase);
        Assert.Null(otherCase);
        Assert.Equal(1, await stores.Users.CountAsync(Cancel));
        Assert.Equal(original, await stores.Users.FindByUsernameAsync("Ada", Cancel));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_username_make_exactly_one_user()
    {
        var stores = await CreateStoresAsync();

        var created = await RaceAsync(8, i => stores.Users.CreateAsync(new NewUser(i % 2 == 0 ? "racer" : "RACER", null, null, "x", false, T0), Cancel));

        Assert.Single(created, user => user is not null);
        Assert.Equal(1, await stores.Users.CountAsync(Cancel));
    }

    [Fact]
    public async Task Unknown_user_is_not_found()
    {
        var stores = await CreateStoresAsync();
        var user = await CreateUserAsync(stores);

        Assert.Null(await stores.Users.FindAsync(user.Id + 1, Cancel));
        Assert.Null(await stores.Users.FindByUsernameAsync("nobody", Cancel));
    }

    [Fact]
    public async Task Users_are_listed_by_id_a_page_at_a_time_with_the_total()
    {
        var stores = await CreateStoresAsync();
        var users = new List<User>();
        foreach (var name in new[] { "eve", "dan", "cat", "bob", "ada" })
        {
            users.Add(await CreateUserAsync(stores, name));
        }

        var first = await stores.Users.ListAsync(1, 2, Cancel);
        var second = await stores.Users.ListAsync(2, 2, Cancel);
        var third = await stores.Users.ListAsync(3, 2, Cancel);
        var beyond = await stores.Users.ListAsync(4, 2, Cancel);

        Assert.Equal(users.Select(user => user.Id).Order(), users.Select(user => user.Id));
        Assert.Equal(users, [.. first.Items, .. second.Items, .. third.Items]);
        Assert.Empty(beyond.Items);
        Assert.All(new[] { first, second, third, beyond }, page => Assert.Equal(5, page.Total));
        Assert.Equal(2, second.PageNumber);
        Assert.Equal(5, await stores.Users.CountAsync(Cancel));
    }

    [Fact]
    public async Task Empty_store_has_no_users()
    {
        var stores = await CreateStoresAsync();

        var page = await stores.Users.ListAsync(1, 20, Cancel);

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
        Assert.Equal(0, await stores.Users.CountAsync(Cancel));
    }
}

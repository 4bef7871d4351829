using Latchkey.Auditing;
using Latchkey.Stores;

namespace Latchkey.Storage.Specification;

/// <summary>The audit log: appended to, read newest first a page at a time.</summary>
public abstract class AuditStoreSpecification : StoreSpecification
{
    [Fact]
    public async Task Appended_entries_come_back_newest_first_with_every_field()
    {
        var stores = await CreateStoresAsync();
        var failed = new AuditEntry(AuditActions.SignInFailed, T0.AddTicks(3_000), null, null, 42, "203.0.113.5", "bad password");
        var created = new AuditEntry(AuditActions.UserCreated, T0.AddSeconds(1), 1, 17, 42, "2001:db8::5");

        await stores.Audit.AppendAsync(failed, Cancel);
        await stores.Audit.AppendAsync(created, Cancel);
        var page = await stores.Audit.QueryAsync(new AuditQuery { PerPage = 10 }, Cancel);

        Assert.Equal(2, page.Total);
        Assert.Equal([created, failed with { At = T0 }], page.Items.Select(item => item.Entry));
        Assert.True(page.Items[0].Id > page.Items[1].Id);
    }

    [Fact]
    public async Task Audit_log_is_read_a_page_at_a_time_with_the_total()
    {
        var stores = await CreateStoresAsync();
        for (var i = 0; i < 5; i++)
        {
            await stores.Audit.AppendAsync(new AuditEntry(AuditActions.SignInFailed, T0.AddSeconds(i), null, Details: $"attempt {i}"), Cancel);
        }

        var second = await stores.Audit.QueryAsync(new AuditQuery { Page = 2, PerPage = 2 }, Cancel);
        var last = await stores.Audit.QueryAsync(new AuditQuery { Page = 3, PerPage = 2 }, Cancel);

        Assert.Equal(["attempt 2", "attempt 1"], second.Items.Select(item => item.Entry.Details));
        Assert.Equal(["attempt 0"], last.Items.Select(item => item.Entry.Details));
        Assert.Equal(5, second.Total);
        Assert.Equal(3, second.TotalPages);
    }

    [Fact]
    public async Task Empty_audit_log_has_no_entries()
    {
        var stores = await CreateStoresAsync();

        var page = await stores.Audit.QueryAsync(new AuditQuery(), Cancel);

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task Audit_log_filters_by_action_user_and_token_and_they_combine()
    {
        var stores = await CreateStoresAsync();
        var ada = await CreateUserAsync(stores, "ada");
        var bob = await CreateUserAsync(stores, "bob");
        await stores.Audit.AppendAsync(new AuditEntry(AuditActions.TokenRevoked, T0, ada.Id, 7, bob.Id, Details: "ada revokes bob's 7"), Cancel);
        await stores.Audit.AppendAsync(new AuditEntry(AuditActions.TokenRevoked, T0, bob.Id, 8, bob.Id, Details: "bob revokes his 8"), Cancel);
        await stores.Audit.AppendAsync(new AuditEntry(AuditActions.TokenCreated, T0, ada.Id, 9, ada.Id, Details: "ada creates 9"), Cancel);
        await stores.Audit.AppendAsync(new AuditEntry(AuditActions.SignInFailed, T0, null, null, ada.Id, Details: "ada fails to sign in"), Cancel);

        async Task<string[]> DetailsAsync(AuditQuery query) => [.. (await stores.Audit.QueryAsync(query, Cancel)).Items.Select(e => e.Entry.Details ?? string.Empty)];

        Assert.Equal(["bob revokes his 8", "ada revokes bob's 7"], await DetailsAsync(new AuditQuery { Action = AuditActions.TokenRevoked }));
        Assert.Equal(["ada fails to sign in", "ada creates 9", "ada revokes bob's 7"], await DetailsAsync(new AuditQuery { UserId = ada.Id }));
        Assert.Equal(["bob revokes his 8", "ada revokes bob's 7"], await DetailsAsync(new AuditQuery { Username = "BOB" }));
        Assert.Equal(["ada creates 9"], await DetailsAsync(new AuditQuery { TokenId = 9 }));
        Assert.Equal(["ada revokes bob's 7"], await DetailsAsync(new AuditQuery { Action = AuditActions.TokenRevoked, Username = "ada" }));
        Assert.Empty(await DetailsAsync(new AuditQuery { Username = "nobody" }));

        var page = await stores.Audit.QueryAsync(new AuditQuery { UserId = ada.Id, PerPage = 1, Page = 2 }, Cancel);
        Assert.Equal(3, page.Total);
        Assert.Equal(["ada creates 9"], page.Items.Select(e => e.Entry.Details));
    }

    [Fact]
    public async Task Audit_entries_are_read_with_the_names_of_their_users_and_token_as_they_are_now()
    {
        var stores = await CreateStoresAsync();
        var ada = await CreateUserAsync(stores, "ada", isAdmin: true);
        var bob = await CreateUserAsync(stores, "bob");
        var token = await InsertAsync(stores, bob.Id, "deploy key");
        await stores.Audit.AppendAsync(new AuditEntry(AuditActions.TokenRevoked, T0, ada.Id, token.Id, bob.Id), Cancel);
        await stores.Audit.AppendAsync(new AuditEntry(AuditActions.SignInFailed, T0, null, null, null, Details: "unknown"), Cancel);
        await stores.Audit.AppendAsync(new AuditEntry(AuditActions.TokenRevoked, T0, ada.Id, 999_999, 999_998), Cancel);

        var events = (await stores.Audit.QueryAsync(new AuditQuery(), Cancel)).Items;

        // Ids that name nothing (a deleted user, a pruned token) and absent ids read as no name.
        Assert.Equal(new AuditNames("ada", null, null), events[0].Names);
        Assert.Equal(AuditNames.None, events[1].Names);
        Assert.Equal(new AuditNames("ada", "bob", "deploy key"), Assert.Single(events, e => e.Entry.TokenId == token.Id && e.Entry.Action == AuditActions.TokenRevoked).Names);
    }
}

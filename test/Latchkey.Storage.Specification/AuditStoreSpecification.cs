using Latchkey.Auditing;

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
        var page = await stores.Audit.QueryAsync(1, 10, Cancel);

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

        var second = await stores.Audit.QueryAsync(2, 2, Cancel);
        var last = await stores.Audit.QueryAsync(3, 2, Cancel);

        Assert.Equal(["attempt 2", "attempt 1"], second.Items.Select(item => item.Entry.Details));
        Assert.Equal(["attempt 0"], last.Items.Select(item => item.Entry.Details));
        Assert.Equal(5, second.Total);
        Assert.Equal(3, second.TotalPages);
    }

    [Fact]
    public async Task Empty_audit_log_has_no_entries()
    {
        var stores = await CreateStoresAsync();

        var page = await stores.Audit.QueryAsync(1, 20, Cancel);

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }
}

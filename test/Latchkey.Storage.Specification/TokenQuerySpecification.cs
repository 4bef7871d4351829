using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;

namespace Latchkey.Storage.Specification;

/// <summary>Listing tokens: every filter of <see cref="TokenQuery"/>, every sort, and paging.</summary>
public abstract class TokenQuerySpecification : StoreSpecification
{
    public static TheoryData<TokenSort> AllSorts => [.. Enum.GetValues<TokenSort>()];

    [Fact]
    public async Task Query_lists_one_users_tokens_of_one_kind_or_everyones()
    {
        var stores = await CreateStoresAsync();
        var ada = await CreateUserAsync(stores, "ada");
        var bob = await CreateUserAsync(stores, "bob");
        var adaFirst = await InsertAsync(stores, ada.Id, "first");
        var adaSecond = await InsertAsync(stores, ada.Id, "second");
        var adaSession = await InsertAsync(stores, NewToken(ada.Id, "session", TokenKind.Session));
        var bobs = await InsertAsync(stores, bob.Id, "bob's");

        Assert.Equal([adaFirst.Id, adaSecond.Id], await IdsAsync(stores, new TokenQuery { UserId = ada.Id, Sort = TokenSort.IdAsc }));
        Assert.Equal([adaFirst.Id, adaSecond.Id, bobs.Id], await IdsAsync(stores, new TokenQuery { Sort = TokenSort.IdAsc }));
        Assert.Equal([adaSession.Id], await IdsAsync(stores, new TokenQuery { UserId = ada.Id, Kind = TokenKind.Session }));
        Assert.Empty(await IdsAsync(stores, new TokenQuery { UserId = bob.Id, Kind = TokenKind.Session }));
    }

    [Fact]
    public async Task Query_filters_by_the_owners_username_in_any_case()
    {
        var stores = await CreateStoresAsync();
        var ada = await CreateUserAsync(stores, "ada");
        var bob = await CreateUserAsync(stores, "bob");
        var adas = await InsertAsync(stores, ada.Id, "ada's");
        await InsertAsync(stores, bob.Id, "bob's");

        Assert.Equal([adas.Id], await IdsAsync(stores, new TokenQuery { OwnerUsername = "ADA" }));
        Assert.Empty(await IdsAsync(stores, new TokenQuery { OwnerUsername = "nobody" }));
        Assert.Empty(await IdsAsync(stores, new TokenQuery { OwnerUsername = "ada", UserId = bob.Id }));
    }

    [Fact]
    public async Task Query_with_owners_gives_the_same_page_with_each_tokens_owner()
    {
        var stores = await CreateStoresAsync();
        var ada = await CreateUserAsync(stores, "ada", isAdmin: true);
        var bob = await CreateUserAsync(stores, "bob");
        await stores.Users.UpdateAsync(bob.Id, new UserChanges { State = Users.UserStates.Blocked }, Audit(AuditActions.UserBlocked), Cancel);
        for (var i = 0; i < 3; i++)
        {
            await InsertAsync(stores, ada.Id, $"deploy ada {i}");
            await InsertAsync(stores, bob.Id, $"deploy bob {i}");
        }

        var query = new TokenQuery { Search = "deploy", Sort = TokenSort.NameDesc, Page = 2, PerPage = 4, Now = T0 };
        var plain = await stores.Tokens.QueryAsync(query, Cancel);
        var owned = await stores.Tokens.QueryWithOwnersAsync(query, Cancel);

        Assert.Equal(6, owned.Total);
        Assert.Equal(plain.Items.Select(t => t.Id), owned.Items.Select(o => o.Token.Id));
        Assert.Equal(["deploy ada 1", "deploy ada 0"], owned.Items.Select(o => o.Token.Name));
        Assert.All(owned.Items, o => Assert.Equal(new TokenOwner(ada.Id, "ada", true, true), o.Owner));

        var bobs = await stores.Tokens.QueryWithOwnersAsync(new TokenQuery { OwnerUsername = "bob", Now = T0 }, Cancel);
        Assert.Equal(3, bobs.Items.Count);
        Assert.All(bobs.Items, o => Assert.Equal(new TokenOwner(bob.Id, "bob", false, false), o.Owner));
    }

    [Fact]
    public async Task Query_filters_by_origin()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var native = await InsertAsync(stores, owner.Id);
        var gitlab = await InsertAsync(stores, NewToken(owner.Id, origin: "gitlab"));

        Assert.Equal([gitlab.Id], await IdsAsync(stores, new TokenQuery { Origin = "gitlab" }));
        Assert.Equal([native.Id], await IdsAsync(stores, new TokenQuery { Origin = TokenOrigins.Native }));
    }

    [Fact]
    public async Task Active_is_judged_at_the_querys_clock()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var neverExpires = await InsertAsync(stores, owner.Id, "never expires");
        var expiresInAnHour = await InsertAsync(stores, NewToken(owner.Id, "expires in an hour", expiresAt: T0.AddHours(1)));
        var expired = await InsertAsync(stores, NewToken(owner.Id, "expired", expiresAt: T0.AddHours(-1)));
        var revoked = await InsertAsync(stores, owner.Id, "revoked");
        await stores.Tokens.RevokeAsync(revoked.Id, T0, Audit(AuditActions.TokenRevoked), Cancel);
        var query = new TokenQuery { Sort = TokenSort.IdAsc, Now = T0 };

        Assert.Equal([neverExpires.Id, expiresInAnHour.Id], await IdsAsync(stores, query with { Active = true }));
        Assert.Equal([expired.Id, revoked.Id], await IdsAsync(stores, query with { Active = false }));

        // A token stops working at the instant it expires.
        Assert.Equal([neverExpires.Id], await IdsAsync(stores, query with { Active = true, Now = T0.AddHours(1) }));
        Assert.Equal([expiresInAnHour.Id, expired.Id, revoked.Id], await IdsAsync(stores, query with { Active = false, Now = T0.AddHours(1) }));
    }

    [Fact]
    public async Task Query_filters_by_revocation()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var live = await InsertAsync(stores, owner.Id, "live");
        var expired = await InsertAsync(stores, NewToken(owner.Id, "expired", expiresAt: T0.AddHours(-1)));
        var revoked = await InsertAsync(stores, owner.Id, "revoked");
        await stores.Tokens.RevokeAsync(revoked.Id, T0, Audit(AuditActions.TokenRevoked), Cancel);

        Assert.Equal([revoked.Id], await IdsAsync(stores, new TokenQuery { Revoked = true, Now = T0 }));
        Assert.Equal([live.Id, expired.Id], await IdsAsync(stores, new TokenQuery { Revoked = false, Sort = TokenSort.IdAsc, Now = T0 }));
    }

    [Fact]
    public async Task Search_finds_a_substring_of_the_name_in_any_case()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var deployKey = await InsertAsync(stores, owner.Id, "Deploy key");
        var deployment = await InsertAsync(stores, owner.Id, "deployment");
        var ciDeploy = await InsertAsync(stores, owner.Id, "CI DEPLOY");
        await InsertAsync(stores, owner.Id, "read-only");
        var monitoring = await InsertAsync(stores, owner.Id, "Überwachung");

        Assert.Equal([deployKey.Id, deployment.Id, ciDeploy.Id], await IdsAsync(stores, new TokenQuery { Search = "dEpLoY", Sort = TokenSort.IdAsc }));
        Assert.Equal([monitoring.Id], await IdsAsync(stores, new TokenQuery { Search = "überWACH" }));
    }

    [Fact]
    public async Task Search_matches_wildcard_characters_literally()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var percent = await InsertAsync(stores, owner.Id, "100% done");
        await InsertAsync(stores, owner.Id, "1000 done");
        var underscore = await InsertAsync(stores, owner.Id, "a_b");
        await InsertAsync(stores, owner.Id, "axb");
        var backslash = await InsertAsync(stores, owner.Id, @"back\slash");

        Assert.Equal([percent.Id], await IdsAsync(stores, new TokenQuery { Search = "0%" }));
        Assert.Equal([underscore.Id], await IdsAsync(stores, new TokenQuery { Search = "_" }));
        Assert.Equal([backslash.Id], await IdsAsync(stores, new TokenQuery { Search = @"\" }));
    }

    [Fact]
    public async Task Name_filter_is_exact_and_case_sensitive()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var exact = await InsertAsync(stores, owner.Id, "deploy");
        await InsertAsync(stores, owner.Id, "Deploy");
        await InsertAsync(stores, owner.Id, "deploy 2");

        Assert.Equal([exact.Id], await IdsAsync(stores, new TokenQuery { Name = "deploy" }));
    }

    [Fact]
    public async Task Created_before_and_after_are_strict()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var early = await InsertAsync(stores, NewToken(owner.Id, createdAt: T0));
        var middle = await InsertAsync(stores, NewToken(owner.Id, createdAt: T0.AddSeconds(1)));
        var late = await InsertAsync(stores, NewToken(owner.Id, createdAt: T0.AddSeconds(2)));
        var query = new TokenQuery { Sort = TokenSort.IdAsc };

        Assert.Equal([early.Id], await IdsAsync(stores, query with { CreatedBefore = middle.CreatedAt }));
        Assert.Equal([late.Id], await IdsAsync(stores, query with { CreatedAfter = middle.CreatedAt }));
        Assert.Equal([middle.Id], await IdsAsync(stores, query with { CreatedAfter = early.CreatedAt, CreatedBefore = late.CreatedAt }));
        Assert.Equal([early.Id, middle.Id, late.Id], await IdsAsync(stores, query with { CreatedAfter = T0.AddMilliseconds(-1) }));
    }

    [Fact]
    public async Task Last_used_filters_treat_never_used_as_infinitely_early()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var usedEarly = await InsertAsync(stores, owner.Id, "used early");
        var usedLate = await InsertAsync(stores, owner.Id, "used late");
        var neverUsed = await InsertAsync(stores, owner.Id, "never used");
        await stores.Tokens.RecordUsageAsync(
            [new TokenUsage(usedEarly.Id, T0.AddSeconds(1), []), new TokenUsage(usedLate.Id, T0.AddSeconds(3), [])],
            Cancel);
        var query = new TokenQuery { Sort = TokenSort.IdAsc };

        Assert.Equal([usedEarly.Id, neverUsed.Id], await IdsAsync(stores, query with { LastUsedBefore = T0.AddSeconds(3) }));
        Assert.Equal([neverUsed.Id], await IdsAsync(stores, query with { LastUsedBefore = T0.AddSeconds(1) }));
        Assert.Equal([usedLate.Id], await IdsAsync(stores, query with { LastUsedAfter = T0.AddSeconds(1) }));
        Assert.Equal([neverUsed.Id], await IdsAsync(stores, query with { NeverUsed = true }));
        Assert.Equal([usedEarly.Id, usedLate.Id], await IdsAsync(stores, query with { NeverUsed = false }));
        Assert.Equal([usedEarly.Id], await IdsAsync(stores, query with { LastUsedBefore = T0.AddSeconds(3), NeverUsed = false }));
    }

    [Fact]
    public async Task Expiry_filters_treat_no_expiry_as_infinitely_late()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var soon = await InsertAsync(stores, NewToken(owner.Id, "soon", expiresAt: T0.AddDays(1)));
        var later = await InsertAsync(stores, NewToken(owner.Id, "later", expiresAt: T0.AddDays(2)));
        var never = await InsertAsync(stores, owner.Id, "never");
        var query = new TokenQuery { Sort = TokenSort.IdAsc };

        Assert.Equal([soon.Id], await IdsAsync(stores, query with { ExpiresBefore = T0.AddDays(2) }));
        Assert.Equal([later.Id, never.Id], await IdsAsync(stores, query with { ExpiresAfter = T0.AddDays(1) }));
        Assert.Equal([later.Id], await IdsAsync(stores, query with { ExpiresAfter = T0.AddDays(1), ExpiresBefore = T0.AddDays(3) }));
    }

    [Fact]
    public async Task Filters_combine()
    {
        var stores = await CreateStoresAsync();
        var ada = await CreateUserAsync(stores, "ada");
        var bob = await CreateUserAsync(stores, "bob");
        var wanted = await InsertAsync(stores, ada.Id, "deploy prod");
        var revoked = await InsertAsync(stores, ada.Id, "deploy staging");
        await stores.Tokens.RevokeAsync(revoked.Id, T0, Audit(AuditActions.TokenRevoked), Cancel);
        await InsertAsync(stores, ada.Id, "read");
        await InsertAsync(stores, bob.Id, "deploy prod");

        var query = new TokenQuery { UserId = ada.Id, Active = true, Search = "deploy", Now = T0 };

        Assert.Equal([wanted.Id], await IdsAsync(stores, query));
    }

    [Theory]
    [MemberData(nameof(AllSorts))]
    public async Task Every_sort_orders_missing_times_by_their_meaning_and_breaks_ties_by_id(TokenSort sort)
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var tokens = new List<PersonalAccessToken>
        {
            await InsertAsync(stores, NewToken(owner.Id, "bravo", createdAt: T0)),
            await InsertAsync(stores, NewToken(owner.Id, "alpha", createdAt: T0.AddSeconds(1), expiresAt: T0.AddDays(2))),
            await InsertAsync(stores, NewToken(owner.Id, "bravo", createdAt: T0, expiresAt: T0.AddDays(1))),
            await InsertAsync(stores, NewToken(owner.Id, "charlie", createdAt: T0.AddSeconds(2))),
            await InsertAsync(stores, NewToken(owner.Id, "alpha", createdAt: T0.AddSeconds(1), expiresAt: T0.AddDays(1))),
            await InsertAsync(stores, NewToken(owner.Id, "delta", createdAt: T0.AddSeconds(-1), expiresAt: T0.AddDays(3))),
        };
        await stores.Tokens.RecordUsageAsync(
            [
                new TokenUsage(tokens[1].Id, T0.AddSeconds(5), []),
                new TokenUsage(tokens[2].Id, T0.AddSeconds(5), []),
                new TokenUsage(tokens[4].Id, T0.AddSeconds(9), []),
                new TokenUsage(tokens[5].Id, T0.AddSeconds(1), []),
            ],
            Cancel);
        tokens = [.. await Task.WhenAll(tokens.Select(token => RequireAsync(stores, token.Id)))];

        var actual = await IdsAsync(stores, new TokenQuery { Sort = sort, Now = T0 });

        Assert.Equal(ExpectedOrder(tokens, sort), actual);
    }

    [Fact]
    public async Task Pages_count_from_one_and_every_page_reports_the_total()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await InsertAsync(stores, owner.Id, $"token {i}")).Id);
        }

        var query = new TokenQuery { UserId = owner.Id, Sort = TokenSort.IdAsc, PerPage = 2 };
        var pages = new List<Page<PersonalAccessToken>>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await stores.Tokens.QueryAsync(query with { Page = page }, Cancel));
        }

        Assert.All(pages, page => Assert.Equal(5, page.Total));
        Assert.All(pages, page => Assert.Equal(3, page.TotalPages));
        Assert.Equal([1, 2, 3, 4], pages.Select(page => page.PageNumber));
        Assert.Equal([2, 2, 1, 0], pages.Select(page => page.Items.Count));
        Assert.Equal(ids, pages.SelectMany(page => page.Items).Select(token => token.Id));
    }

    [Fact]
    public async Task Total_counts_only_matching_tokens()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        for (var i = 0; i < 4; i++)
        {
            await InsertAsync(stores, owner.Id, i % 2 == 0 ? $"deploy {i}" : $"read {i}");
        }

        var page = await stores.Tokens.QueryAsync(new TokenQuery { Search = "deploy", PerPage = 1 }, Cancel);

        Assert.Equal(2, page.Total);
        Assert.Single(page.Items);
    }

    /// <summary>The order a sort promises, worked out here independently of any SQL.</summary>
    private static long[] ExpectedOrder(IEnumerable<PersonalAccessToken> tokens, TokenSort sort)
    {
        // Never expires sorts as infinitely late; never used as infinitely early.
        static long Expires(PersonalAccessToken token) => token.ExpiresAt?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        static long LastUsed(PersonalAccessToken token) => token.LastUsedAt?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var ordered = sort switch
        {
            TokenSort.CreatedDesc => tokens.OrderByDescending(token => token.CreatedAt).ThenByDescending(token => token.Id),
            TokenSort.CreatedAsc => tokens.OrderBy(token => token.CreatedAt).ThenBy(token => token.Id),
            TokenSort.ExpiresDesc => tokens.OrderByDescending(Expires).ThenByDescending(token => token.Id),
            TokenSort.ExpiresAsc => tokens.OrderBy(Expires).ThenBy(token => token.Id),
            TokenSort.LastUsedDesc => tokens.OrderByDescending(LastUsed).ThenByDescending(token => token.Id),
            TokenSort.LastUsedAsc => tokens.OrderBy(LastUsed).ThenBy(token => token.Id),
            TokenSort.NameDesc => tokens.OrderByDescending(token => token.Name, StringComparer.Ordinal).ThenByDescending(token => token.Id),
            TokenSort.NameAsc => tokens.OrderBy(token => token.Name, StringComparer.Ordinal).ThenBy(token => token.Id),
            TokenSort.IdDesc => tokens.OrderByDescending(token => token.Id),
            TokenSort.IdAsc => tokens.OrderBy(token => token.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
        };
        return [.. ordered.Select(token => token.Id)];
    }
}

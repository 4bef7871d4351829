using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;

namespace Latchkey.Storage.Specification;

/// <summary>Inserting, finding, changing, recording use of and pruning tokens.</summary>
public abstract class TokenStoreSpecification : StoreSpecification
{
    [Fact]
    public async Task Inserted_token_is_returned_as_stored_and_is_its_own_family()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var request = NewToken(owner.Id, "deploy", expiresAt: T0.AddDays(30), origin: "gitlab") with
        {
            Description = "CI pipeline",
            Scopes = ["read_api", "write_repository"],
            Attributes = new Dictionary<string, string> { ["accessTokenValiditySeconds"] = "3600", ["note"] = "ünïcode" },
        };

        var outcome = await stores.Tokens.InsertAsync(request, InsertConstraints.None(T0), Audit(), Cancel);

        Assert.Equal(InsertRefusal.None, outcome.Refusal);
        var token = outcome.Token;
        Assert.NotNull(token);
        Assert.True(token.Id > 0);
        Assert.Equal(request.PublicId, token.PublicId);
        Assert.Equal(owner.Id, token.UserId);
        Assert.Equal(TokenKind.Personal, token.Kind);
        Assert.Equal("deploy", token.Name);
        Assert.Equal("CI pipeline", token.Description);
        Assert.Equal(["read_api", "write_repository"], token.Scopes);
        Assert.Equal(T0, token.CreatedAt);
        Assert.Equal(T0.AddDays(30), token.ExpiresAt);
        Assert.Null(token.LastUsedAt);
        Assert.Empty(token.LastUsedIps);
        Assert.Null(token.RevokedAt);
        Assert.Equal(token.Id, token.FamilyId);
        Assert.Null(token.PreviousId);
        Assert.False(token.Rotated);
        Assert.Null(token.ParentId);
        Assert.Equal("gitlab", token.Origin);
        Assert.Equal("3600", token.Attributes["accessTokenValiditySeconds"]);
        Assert.Equal("ünïcode", token.Attributes["note"]);
        AssertSameToken(token, await stores.Tokens.FindAsync(token.Id, Cancel));
    }

    [Fact]
    public async Task Token_is_found_by_its_hash_together_with_its_owner()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores, "grace", isAdmin: true);
        var request = NewToken(owner.Id);
        var token = await InsertAsync(stores, request);

        var stored = await stores.Tokens.FindByHashAsync(request.Hash, Cancel);

        Assert.NotNull(stored);
        AssertSameToken(token, stored.Token);
        Assert.Equal(request.Hash, stored.Hash);
        Assert.Equal(new TokenOwner(owner.Id, "grace", true, true), stored.Owner);
    }

    [Fact]
    public async Task Token_is_found_by_its_public_id()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);
        await InsertAsync(stores, owner.Id, "another");

        AssertSameToken(token, await stores.Tokens.FindByPublicIdAsync(token.PublicId, Cancel));
    }

    [Fact]
    public async Task Unknown_hash_id_and_public_id_find_nothing()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);

        Assert.Null(await stores.Tokens.FindByHashAsync(NewToken(owner.Id).Hash, Cancel));
        Assert.Null(await stores.Tokens.FindAsync(token.Id + 1, Cancel));
        Assert.Null(await stores.Tokens.FindByPublicIdAsync(NewToken(owner.Id).PublicId, Cancel));
    }

    [Fact]
    public async Task Timestamps_keep_whole_milliseconds_and_come_back_in_utc()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var inTokyo = T0.AddDays(7).ToOffset(TimeSpan.FromHours(9));

        // 0.4 ms past T0: finer than a store keeps, so what comes back is T0 itself.
        var token = await InsertAsync(stores, NewToken(owner.Id, createdAt: T0.AddTicks(4_000), expiresAt: inTokyo));

        Assert.Equal(T0, token.CreatedAt);
        Assert.Equal(T0.UtcTicks, token.CreatedAt.UtcTicks);
        Assert.Equal(inTokyo, token.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, token.ExpiresAt!.Value.Offset);
        AssertSameToken(token, await stores.Tokens.FindAsync(token.Id, Cancel));
    }

    [Fact]
    public async Task Ids_strictly_increase_and_are_never_reused_after_a_prune()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var first = await InsertAsync(stores, owner.Id, "first");
        var second = await InsertAsync(stores, owner.Id, "second");
        await stores.Tokens.RevokeAsync(second.Id, T0, Audit(AuditActions.TokenRevoked, second.Id), Cancel);
        Assert.Equal(1, await stores.Tokens.PruneAsync(T0.AddDays(1), Cancel));

        var third = await InsertAsync(stores, owner.Id, "third");

        Assert.True(second.Id > first.Id);
        Assert.True(third.Id > second.Id);
    }

    [Fact]
    public async Task Insert_appends_its_audit_entry_naming_the_new_token()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var audit = new AuditEntry(AuditActions.TokenCreated, T0, owner.Id, null, owner.Id, "203.0.113.7", "via test");

        var outcome = await stores.Tokens.InsertAsync(NewToken(owner.Id), InsertConstraints.None(T0), audit, Cancel);

        var entry = Assert.Single(await AuditTrailAsync(stores));
        Assert.Equal(audit with { TokenId = outcome.Token!.Id }, entry);
    }

    [Fact]
    public async Task Insert_is_refused_once_the_owner_has_the_maximum_of_active_tokens()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var constraints = new InsertConstraints(3, false, T0);
        for (var i = 0; i < 3; i++)
        {
            var accepted = await stores.Tokens.InsertAsync(NewToken(owner.Id, $"token {i}"), constraints, Audit(), Cancel);
            Assert.Equal(InsertRefusal.None, accepted.Refusal);
        }

        var refused = NewToken(owner.Id, "one too many");
        var outcome = await stores.Tokens.InsertAsync(refused, constraints, Audit(), Cancel);

        Assert.Equal(InsertRefusal.LimitReached, outcome.Refusal);
        Assert.Null(outcome.Token);
        Assert.Null(await stores.Tokens.FindByHashAsync(refused.Hash, Cancel));
        Assert.Equal(3, (await AuditTrailAsync(stores)).Count);
    }

    [Fact]
    public async Task Only_the_owners_active_personal_tokens_count_toward_the_limit()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var other = await CreateUserAsync(stores, "bob");
        var revoked = await InsertAsync(stores, owner.Id, "revoked");
        await stores.Tokens.RevokeAsync(revoked.Id, T0, Audit(AuditActions.TokenRevoked, revoked.Id), Cancel);
        await InsertAsync(stores, NewToken(owner.Id, "expired now", expiresAt: T0));
        var pat = await InsertAsync(stores, owner.Id, "to be exchanged");
        await InsertAsync(stores, NewToken(owner.Id, "session", TokenKind.Session, expiresAt: T0.AddHours(8)));
        await InsertAsync(stores, NewToken(owner.Id, "derived", TokenKind.AccessToken, expiresAt: T0.AddHours(1), parentId: pat.Id));
        await InsertAsync(stores, other.Id, "someone else's");
        await InsertAsync(stores, other.Id, "someone else's too");
        var constraints = new InsertConstraints(3, false, T0);

        var second = await stores.Tokens.InsertAsync(NewToken(owner.Id, "second"), constraints, Audit(), Cancel);
        var third = await stores.Tokens.InsertAsync(NewToken(owner.Id, "third"), constraints, Audit(), Cancel);
        var fourth = await stores.Tokens.InsertAsync(NewToken(owner.Id, "fourth"), constraints, Audit(), Cancel);

        Assert.Equal(InsertRefusal.None, second.Refusal);
        Assert.Equal(InsertRefusal.None, third.Refusal);
        Assert.Equal(InsertRefusal.LimitReached, fourth.Refusal);
    }

    [Fact]
    public async Task Limit_of_zero_means_no_limit()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);

        for (var i = 0; i < 5; i++)
        {
            var outcome = await stores.Tokens.InsertAsync(NewToken(owner.Id, "same"), new InsertConstraints(0, false, T0), Audit(), Cancel);
            Assert.Equal(InsertRefusal.None, outcome.Refusal);
        }
    }

    [Fact]
    public async Task Unique_name_is_taken_only_by_an_active_personal_token_of_the_same_owner()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var other = await CreateUserAsync(stores, "bob");
        var unique = new InsertConstraints(0, true, T0);
        Task<InsertOutcome> InsertNamedAsync(NewToken token) => stores.Tokens.InsertAsync(token, unique, Audit(), Cancel);

        var first = await InsertNamedAsync(NewToken(owner.Id, "deploy"));
        var again = await InsertNamedAsync(NewToken(owner.Id, "deploy"));
        var otherCase = await InsertNamedAsync(NewToken(owner.Id, "Deploy"));
        var otherOwner = await InsertNamedAsync(NewToken(other.Id, "deploy"));
        await InsertAsync(stores, NewToken(owner.Id, "old", expiresAt: T0));
        var afterExpiry = await InsertNamedAsync(NewToken(owner.Id, "old"));
        await stores.Tokens.RevokeAsync(first.Token!.Id, T0, Audit(AuditActions.TokenRevoked), Cancel);
        var afterRevocation = await InsertNamedAsync(NewToken(owner.Id, "deploy"));

        Assert.Equal(InsertRefusal.None, first.Refusal);
        Assert.Equal(InsertRefusal.NameTaken, again.Refusal);
        Assert.Null(again.Token);
        Assert.Equal(InsertRefusal.None, otherCase.Refusal);
        Assert.Equal(InsertRefusal.None, otherOwner.Refusal);
        Assert.Equal(InsertRefusal.None, afterExpiry.Refusal);
        Assert.Equal(InsertRefusal.None, afterRevocation.Refusal);
    }

    [Fact]
    public async Task Names_may_repeat_when_uniqueness_is_not_asked_for()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);

        var first = await stores.Tokens.InsertAsync(NewToken(owner.Id, "deploy"), new InsertConstraints(10, false, T0), Audit(), Cancel);
        var second = await stores.Tokens.InsertAsync(NewToken(owner.Id, "deploy"), new InsertConstraints(10, false, T0), Audit(), Cancel);

        Assert.Equal(InsertRefusal.None, first.Refusal);
        Assert.Equal(InsertRefusal.None, second.Refusal);
    }

    [Fact]
    public async Task Constraints_do_not_apply_to_sessions_and_access_tokens()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var strict = new InsertConstraints(1, true, T0);
        var pat = await stores.Tokens.InsertAsync(NewToken(owner.Id, "session"), strict, Audit(), Cancel);

        var sessions = new List<InsertOutcome>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(await stores.Tokens.InsertAsync(NewToken(owner.Id, "session", TokenKind.Session), strict, Audit(), Cancel));
            sessions.Add(await stores.Tokens.InsertAsync(NewToken(owner.Id, "session", TokenKind.AccessToken, parentId: pat.Token!.Id), strict, Audit(), Cancel));
        }

        Assert.All(sessions, outcome => Assert.Equal(InsertRefusal.None, outcome.Refusal));
    }

    [Fact]
    public async Task Ten_concurrent_inserts_under_a_limit_of_three_create_exactly_three()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var constraints = new InsertConstraints(3, false, T0);

        var outcomes = await RaceAsync(10, i => stores.Tokens.InsertAsync(NewToken(owner.Id, $"racer {i}"), constraints, Audit(), Cancel));

        Assert.Equal(3, outcomes.Count(outcome => outcome.Token is not null));
        Assert.Equal(7, outcomes.Count(outcome => outcome.Refusal == InsertRefusal.LimitReached));
        Assert.Equal(3, (await stores.Tokens.QueryAsync(new TokenQuery { UserId = owner.Id, Now = T0 }, Cancel)).Total);
        Assert.Equal(3, (await AuditTrailAsync(stores)).Count);
    }

    [Fact]
    public async Task Concurrent_inserts_of_one_unique_name_create_exactly_one()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var constraints = new InsertConstraints(0, true, T0);

        var outcomes = await RaceAsync(10, _ => stores.Tokens.InsertAsync(NewToken(owner.Id, "deploy"), constraints, Audit(), Cancel));

        Assert.Single(outcomes, outcome => outcome.Token is not null);
        Assert.Equal(9, outcomes.Count(outcome => outcome.Refusal == InsertRefusal.NameTaken));
    }

    [Fact]
    public async Task Update_changes_only_the_fields_it_sets_and_is_audited()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, NewToken(owner.Id, "before", expiresAt: T0.AddDays(30)) with
        {
            Description = "kept",
            Scopes = ["api", "read_api"],
            Attributes = new Dictionary<string, string> { ["a"] = "1" },
        });
        var audit = Audit(AuditActions.TokenUpdated, token.Id, owner.Id);

        var updated = (await stores.Tokens.UpdateAsync(token.Id, new TokenChanges { Name = "after" }, UpdateConstraints.None(T0), audit, Cancel)).Token;

        AssertSameToken(token with { Name = "after" }, updated);
        AssertSameToken(updated!, await stores.Tokens.FindAsync(token.Id, Cancel));
        Assert.Equal(audit, (await AuditTrailAsync(stores))[0]);
    }

    [Fact]
    public async Task Update_writes_every_field_it_is_given_including_clearing_ones()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, NewToken(owner.Id, "before", expiresAt: T0.AddDays(30)) with
        {
            Description = "to be cleared",
            Scopes = ["api", "read_api"],
            Attributes = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        });
        var changes = new TokenChanges
        {
            Name = "after",
            Description = null,
            DescriptionChanged = true,
            Scopes = ["read_api"],
            ExpiresAt = null,
            ExpiresAtChanged = true,
            Attributes = new Dictionary<string, string> { ["c"] = "3" },
        };

        var updated = (await stores.Tokens.UpdateAsync(token.Id, changes, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, token.Id), Cancel)).Token;

        var expected = token with
        {
            Name = "after",
            Description = null,
            Scopes = ["read_api"],
            ExpiresAt = null,
            Attributes = new Dictionary<string, string> { ["c"] = "3" },
        };
        AssertSameToken(expected, updated);
        AssertSameToken(expected, await stores.Tokens.FindAsync(token.Id, Cancel));
    }

    [Fact]
    public async Task Update_sets_a_new_expiry_at_millisecond_precision()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);

        var changes = new TokenChanges { ExpiresAt = T0.AddDays(1).AddTicks(9_999), ExpiresAtChanged = true };
        var updated = (await stores.Tokens.UpdateAsync(token.Id, changes, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, token.Id), Cancel)).Token;

        Assert.Equal(T0.AddDays(1), updated!.ExpiresAt);
    }

    [Fact]
    public async Task Update_of_a_revoked_or_unknown_token_returns_null_and_writes_no_audit()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id, "before");
        await stores.Tokens.RevokeAsync(token.Id, T0, Audit(AuditActions.TokenRevoked, token.Id), Cancel);
        var auditBefore = (await AuditTrailAsync(stores)).Count;

        var revoked = await stores.Tokens.UpdateAsync(token.Id, new TokenChanges { Name = "after" }, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated), Cancel);
        var unknown = await stores.Tokens.UpdateAsync(token.Id + 100, new TokenChanges { Name = "after" }, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated), Cancel);

        Assert.Null(revoked.Token);
        Assert.Null(unknown.Token);
        Assert.Equal((UpdateRefusal.None, UpdateRefusal.None), (revoked.Refusal, unknown.Refusal));
        Assert.Equal("before", (await RequireAsync(stores, token.Id)).Name);
        Assert.Equal(auditBefore, (await AuditTrailAsync(stores)).Count);
    }

    [Fact]
    public async Task Update_with_no_changes_returns_the_token_and_writes_no_audit()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);

        var unchanged = (await stores.Tokens.UpdateAsync(token.Id, new TokenChanges(), UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, token.Id), Cancel)).Token;

        AssertSameToken(token, unchanged);
        Assert.Single(await AuditTrailAsync(stores));
    }

    [Fact]
    public async Task A_rename_onto_the_name_of_another_active_token_is_refused_when_names_must_be_unique()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var other = await CreateUserAsync(stores, "grace");
        await InsertAsync(stores, owner.Id, "taken");
        await InsertAsync(stores, NewToken(owner.Id, "expired", expiresAt: T0));
        var revoked = await InsertAsync(stores, owner.Id, "revoked");
        await stores.Tokens.RevokeAsync(revoked.Id, T0, Audit(AuditActions.TokenRevoked, revoked.Id), Cancel);
        await InsertAsync(stores, other.Id, "someone else's");
        await InsertAsync(stores, NewToken(owner.Id, "session", TokenKind.Session, expiresAt: T0.AddDays(1)));
        var token = await InsertAsync(stores, owner.Id, "mine");
        var unique = new UpdateConstraints(true, T0);
        var auditBefore = (await AuditTrailAsync(stores)).Count;

        var refused = await stores.Tokens.UpdateAsync(token.Id, new TokenChanges { Name = "taken", DescriptionChanged = true, Description = "d" }, unique, Audit(AuditActions.TokenUpdated, token.Id), Cancel);

        Assert.Equal(UpdateRefusal.NameTaken, refused.Refusal);
        Assert.Null(refused.Token);
        AssertSameToken(token, await stores.Tokens.FindAsync(token.Id, Cancel));
        Assert.Equal(auditBefore, (await AuditTrailAsync(stores)).Count);
        foreach (var free in new[] { "expired", "revoked", "someone else's", "session", "mine" })
        {
            var renamed = await stores.Tokens.UpdateAsync(token.Id, new TokenChanges { Name = free }, unique, Audit(AuditActions.TokenUpdated, token.Id), Cancel);
            Assert.Equal(free, renamed.Token?.Name);
        }

        var allowed = await stores.Tokens.UpdateAsync(token.Id, new TokenChanges { Name = "taken" }, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, token.Id), Cancel);
        Assert.Equal("taken", allowed.Token?.Name);
    }

    [Fact]
    public async Task Keeping_its_own_name_is_no_conflict_even_when_another_token_shares_it()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        await InsertAsync(stores, owner.Id, "twin");
        var token = await InsertAsync(stores, owner.Id, "twin");

        var updated = await stores.Tokens.UpdateAsync(token.Id, new TokenChanges { Name = "twin", Scopes = ["api"] }, new UpdateConstraints(true, T0), Audit(AuditActions.TokenUpdated, token.Id), Cancel);

        Assert.Equal(["api"], updated.Token?.Scopes);
    }

    [Fact]
    public async Task Of_concurrent_renames_onto_one_name_exactly_one_wins()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var tokens = new List<PersonalAccessToken>();
        for (var i = 0; i < 10; i++)
        {
            tokens.Add(await InsertAsync(stores, owner.Id, $"token {i}"));
        }

        var unique = new UpdateConstraints(true, T0);
        var outcomes = await RaceAsync(tokens.Count, i => stores.Tokens.UpdateAsync(
            tokens[i].Id, new TokenChanges { Name = "wanted" }, unique, Audit(AuditActions.TokenUpdated, tokens[i].Id), Cancel));

        var winner = Assert.Single(outcomes, o => o.Token is not null);
        Assert.Equal("wanted", winner.Token!.Name);
        Assert.All(outcomes.Where(o => o.Token is null), o => Assert.Equal(UpdateRefusal.NameTaken, o.Refusal));
        var query = new TokenQuery { UserId = owner.Id, Active = true, Name = "wanted", Now = T0 };
        Assert.Equal([winner.Token.Id], await IdsAsync(stores, query));
        Assert.Single(await AuditTrailAsync(stores), e => e.Action == AuditActions.TokenUpdated);
    }

    [Fact]
    public async Task Usage_is_written_as_a_batch_and_is_not_audited()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var first = await InsertAsync(stores, owner.Id, "first");
        var second = await InsertAsync(stores, owner.Id, "second");
        var untouched = await InsertAsync(stores, owner.Id, "untouched");

        await stores.Tokens.RecordUsageAsync(
            [
                new TokenUsage(first.Id, T0.AddMinutes(1), ["198.51.100.2", "198.51.100.1"]),
                new TokenUsage(second.Id, T0.AddMinutes(2).AddTicks(3), ["2001:db8::1"]),
            ],
            Cancel);

        var firstAfter = await RequireAsync(stores, first.Id);
        var secondAfter = await RequireAsync(stores, second.Id);
        Assert.Equal(T0.AddMinutes(1), firstAfter.LastUsedAt);
        Assert.Equal(["198.51.100.2", "198.51.100.1"], firstAfter.LastUsedIps);
        Assert.Equal(T0.AddMinutes(2), secondAfter.LastUsedAt);
        Assert.Equal(["2001:db8::1"], secondAfter.LastUsedIps);
        AssertSameToken(untouched, await stores.Tokens.FindAsync(untouched.Id, Cancel));
        Assert.Equal(3, (await AuditTrailAsync(stores)).Count);
    }

    [Fact]
    public async Task Usage_older_than_what_is_stored_does_not_replace_it()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);
        await stores.Tokens.RecordUsageAsync([new TokenUsage(token.Id, T0.AddMinutes(10), ["198.51.100.10"])], Cancel);

        await stores.Tokens.RecordUsageAsync([new TokenUsage(token.Id, T0.AddMinutes(5), ["198.51.100.5"])], Cancel);

        var after = await RequireAsync(stores, token.Id);
        Assert.Equal(T0.AddMinutes(10), after.LastUsedAt);
        Assert.Equal(["198.51.100.10"], after.LastUsedIps);
    }

    [Fact]
    public async Task Usage_from_several_processes_merges_the_latest_time_and_the_newest_addresses()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);
        await stores.Tokens.RecordUsageAsync([new TokenUsage(token.Id, T0.AddMinutes(1), ["198.51.100.1", "198.51.100.2"])], Cancel);

        // Another node's batch: its addresses first, then those stored, without repeats.
        await stores.Tokens.RecordUsageAsync([new TokenUsage(token.Id, T0.AddMinutes(2), ["203.0.113.9", "198.51.100.2"])], Cancel);

        var merged = await RequireAsync(stores, token.Id);
        Assert.Equal(T0.AddMinutes(2), merged.LastUsedAt);
        Assert.Equal(["203.0.113.9", "198.51.100.2", "198.51.100.1"], merged.LastUsedIps);

        // Five at most, the newest batch's first; an older batch changes nothing.
        await stores.Tokens.RecordUsageAsync([new TokenUsage(token.Id, T0.AddMinutes(3), ["192.0.2.1", "192.0.2.2", "192.0.2.3"])], Cancel);
        await stores.Tokens.RecordUsageAsync([new TokenUsage(token.Id, T0.AddMinutes(1), ["192.0.2.99"])], Cancel);
        var capped = await RequireAsync(stores, token.Id);
        Assert.Equal(T0.AddMinutes(3), capped.LastUsedAt);
        Assert.Equal(["192.0.2.1", "192.0.2.2", "192.0.2.3", "203.0.113.9", "198.51.100.2"], capped.LastUsedIps);
    }

    [Fact]
    public async Task Usage_of_a_token_that_no_longer_exists_is_ignored()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);

        await stores.Tokens.RecordUsageAsync(
            [new TokenUsage(token.Id + 1000, T0, ["198.51.100.1"]), new TokenUsage(token.Id, T0, ["198.51.100.2"])],
            Cancel);
        await stores.Tokens.RecordUsageAsync([], Cancel);

        Assert.Equal(T0, (await RequireAsync(stores, token.Id)).LastUsedAt);
    }

    [Fact]
    public async Task Prune_deletes_tokens_expired_or_revoked_before_the_cutoff_and_nothing_else()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var cutoff = T0.AddDays(10);
        var revokedLongAgo = await InsertAsync(stores, owner.Id, "revoked long ago");
        var revokedAtCutoff = await InsertAsync(stores, owner.Id, "revoked at the cutoff");
        var revokedRecently = await InsertAsync(stores, owner.Id, "revoked recently");
        var expiredLongAgo = await InsertAsync(stores, NewToken(owner.Id, "expired long ago", expiresAt: T0.AddDays(1)));
        var expiresAtCutoff = await InsertAsync(stores, NewToken(owner.Id, "expires at the cutoff", expiresAt: cutoff));
        var expiresLater = await InsertAsync(stores, NewToken(owner.Id, "expires later", expiresAt: T0.AddDays(20)));
        var neverExpires = await InsertAsync(stores, owner.Id, "never expires");
        await stores.Tokens.RevokeAsync(revokedLongAgo.Id, T0.AddDays(2), Audit(AuditActions.TokenRevoked), Cancel);
        await stores.Tokens.RevokeAsync(revokedAtCutoff.Id, cutoff, Audit(AuditActions.TokenRevoked), Cancel);
        await stores.Tokens.RevokeAsync(revokedRecently.Id, T0.AddDays(11), Audit(AuditActions.TokenRevoked), Cancel);

        var deleted = await stores.Tokens.PruneAsync(cutoff, Cancel);

        Assert.Equal(2, deleted);
        Assert.Null(await stores.Tokens.FindAsync(revokedLongAgo.Id, Cancel));
        Assert.Null(await stores.Tokens.FindAsync(expiredLongAgo.Id, Cancel));
        foreach (var kept in new[] { revokedAtCutoff, revokedRecently, expiresAtCutoff, expiresLater, neverExpires })
        {
            Assert.NotNull(await stores.Tokens.FindAsync(kept.Id, Cancel));
        }

        Assert.Equal(0, await stores.Tokens.PruneAsync(cutoff, Cancel));
    }
}

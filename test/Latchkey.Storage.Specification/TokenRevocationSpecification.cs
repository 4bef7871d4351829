using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;

namespace Latchkey.Storage.Specification;

/// <summary>Revoking one token, a rotation family or all of a user's tokens, and rotating.</summary>
public abstract class TokenRevocationSpecification : StoreSpecification
{
    [Fact]
    public async Task Revoking_a_token_revokes_what_derives_from_it_and_nothing_else()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var pat = await InsertAsync(stores, owner.Id, "pat");
        var child = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddHours(1), parentId: pat.Id));
        var bystander = await InsertAsync(stores, owner.Id, "bystander");
        var at = T0.AddMinutes(3);
        var audit = Audit(AuditActions.TokenRevoked, pat.Id, owner.Id);

        var revoked = await stores.Tokens.RevokeAsync(pat.Id, at, audit, Cancel);

        Assert.Equal([pat.Id, child.Id], revoked.Order());
        AssertSameToken(pat with { RevokedAt = at }, await stores.Tokens.FindAsync(pat.Id, Cancel));
        AssertSameToken(child with { RevokedAt = at }, await stores.Tokens.FindAsync(child.Id, Cancel));
        AssertSameToken(bystander, await stores.Tokens.FindAsync(bystander.Id, Cancel));
        Assert.Equal(audit, (await AuditTrailAsync(stores))[0]);
    }

    [Fact]
    public async Task Revoking_a_revoked_token_changes_nothing_and_is_not_audited()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);
        await stores.Tokens.RevokeAsync(token.Id, T0.AddMinutes(1), Audit(AuditActions.TokenRevoked, token.Id), Cancel);
        var auditBefore = (await AuditTrailAsync(stores)).Count;

        var again = await stores.Tokens.RevokeAsync(token.Id, T0.AddMinutes(2), Audit(AuditActions.TokenRevoked, token.Id), Cancel);

        Assert.Empty(again);
        Assert.Equal(T0.AddMinutes(1), (await RequireAsync(stores, token.Id)).RevokedAt);
        Assert.Equal(auditBefore, (await AuditTrailAsync(stores)).Count);
    }

    [Fact]
    public async Task Revoking_an_unknown_token_returns_nothing_and_is_not_audited()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);

        var revoked = await stores.Tokens.RevokeAsync(token.Id + 1000, T0, Audit(AuditActions.TokenRevoked), Cancel);

        Assert.Empty(revoked);
        Assert.Single(await AuditTrailAsync(stores));
    }

    [Fact]
    public async Task Revoking_a_derived_token_leaves_its_parent_alone()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var pat = await InsertAsync(stores, owner.Id, "pat");
        var child = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, parentId: pat.Id));

        var revoked = await stores.Tokens.RevokeAsync(child.Id, T0, Audit(AuditActions.TokenRevoked, child.Id), Cancel);

        Assert.Equal([child.Id], revoked);
        Assert.Null((await RequireAsync(stores, pat.Id)).RevokedAt);
    }

    [Fact]
    public async Task Derived_token_inserted_under_a_revoked_parent_is_stored_revoked()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var pat = await InsertAsync(stores, owner.Id, "pat");
        await stores.Tokens.RevokeAsync(pat.Id, T0, Audit(AuditActions.TokenRevoked, pat.Id), Cancel);

        // The caller checked the parent before this moment; it was revoked in between.
        var child = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, createdAt: T0.AddSeconds(1), parentId: pat.Id));

        Assert.Equal(T0.AddSeconds(1), child.RevokedAt);
        Assert.Equal(T0.AddSeconds(1), (await RequireAsync(stores, child.Id)).RevokedAt);
    }

    [Fact]
    public async Task Derived_token_inserted_after_its_parents_expiry_was_brought_forward_gets_the_parents_expiry()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var pat = await InsertAsync(stores, NewToken(owner.Id, "pat", expiresAt: T0.AddMinutes(5)));

        // The caller read the parent before its expiry moved and asked for a child that lives an hour.
        var child = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddHours(1), parentId: pat.Id));
        var shorter = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddMinutes(1), parentId: pat.Id));

        Assert.Equal(T0.AddMinutes(5), child.ExpiresAt);
        Assert.Equal(T0.AddMinutes(5), (await RequireAsync(stores, child.Id)).ExpiresAt);
        Assert.Equal(T0.AddMinutes(1), shorter.ExpiresAt);
    }

    [Fact]
    public async Task Bringing_a_tokens_expiry_forward_brings_forward_what_derives_from_it_in_the_same_update()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var pat = await InsertAsync(stores, owner.Id, "pat");
        var longer = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddHours(12), parentId: pat.Id));
        var deeper = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddHours(12), parentId: longer.Id));
        var shorter = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddMinutes(10), parentId: pat.Id));
        var revoked = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddHours(12), parentId: pat.Id));
        await stores.Tokens.RevokeAsync(revoked.Id, T0, Audit(AuditActions.TokenRevoked, revoked.Id), Cancel);
        var bystander = await InsertAsync(stores, NewToken(owner.Id, "other", TokenKind.AccessToken, expiresAt: T0.AddHours(12)));
        var changes = new TokenChanges { ExpiresAt = T0.AddHours(1), ExpiresAtChanged = true };

        var outcome = await stores.Tokens.UpdateAsync(pat.Id, changes, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, pat.Id), Cancel);

        Assert.Equal(T0.AddHours(1), outcome.Token?.ExpiresAt);
        Assert.Equal([longer.Id, deeper.Id], outcome.CappedIds);
        AssertSameToken(longer with { ExpiresAt = T0.AddHours(1) }, await stores.Tokens.FindAsync(longer.Id, Cancel));
        AssertSameToken(deeper with { ExpiresAt = T0.AddHours(1) }, await stores.Tokens.FindAsync(deeper.Id, Cancel));
        Assert.Equal(T0.AddMinutes(10), (await RequireAsync(stores, shorter.Id)).ExpiresAt);
        Assert.Equal(T0.AddHours(12), (await RequireAsync(stores, revoked.Id)).ExpiresAt);
        Assert.Equal(T0.AddHours(12), (await RequireAsync(stores, bystander.Id)).ExpiresAt);
    }

    [Fact]
    public async Task Narrowing_a_tokens_scopes_narrows_what_derives_from_it_in_the_same_update()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var pat = await InsertAsync(stores, NewToken(owner.Id, "pat", scopes: ["api"]));
        var child = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddHours(12), parentId: pat.Id, scopes: ["api"]));
        var grandchild = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddHours(12), parentId: child.Id, scopes: ["api"]));
        var bystander = await InsertAsync(stores, NewToken(owner.Id, "other", TokenKind.AccessToken, expiresAt: T0.AddHours(12), scopes: ["api"]));

        var outcome = await stores.Tokens.UpdateAsync(pat.Id, new TokenChanges { Scopes = ["read_api"] }, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, pat.Id), Cancel);

        Assert.Equal([child.Id, grandchild.Id], outcome.CappedIds);
        Assert.Equal(["read_api"], (await RequireAsync(stores, child.Id)).Scopes);
        Assert.Equal(["read_api"], (await RequireAsync(stores, grandchild.Id)).Scopes);
        Assert.Equal(["api"], (await RequireAsync(stores, bystander.Id)).Scopes);
    }

    [Fact]
    public async Task A_later_expiry_or_none_at_all_leaves_what_derives_from_it_alone()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var pat = await InsertAsync(stores, NewToken(owner.Id, "pat", expiresAt: T0.AddDays(1)));
        var child = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, expiresAt: T0.AddHours(12), parentId: pat.Id));

        var later = await stores.Tokens.UpdateAsync(pat.Id, new TokenChanges { ExpiresAt = T0.AddDays(2), ExpiresAtChanged = true }, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, pat.Id), Cancel);
        var never = await stores.Tokens.UpdateAsync(pat.Id, new TokenChanges { ExpiresAt = null, ExpiresAtChanged = true }, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, pat.Id), Cancel);
        var renamed = await stores.Tokens.UpdateAsync(pat.Id, new TokenChanges { Name = "renamed" }, UpdateConstraints.None(T0), Audit(AuditActions.TokenUpdated, pat.Id), Cancel);

        Assert.All([later, never, renamed], outcome => Assert.Empty(outcome.CappedIds));
        Assert.Equal(T0.AddHours(12), (await RequireAsync(stores, child.Id)).ExpiresAt);
    }

    [Fact]
    public async Task Revoking_a_family_revokes_its_active_members_and_what_derives_from_them()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var first = await InsertAsync(stores, owner.Id, "rotating");
        var second = (await stores.Tokens.RotateAsync(first.Id, NewToken(owner.Id, "rotating", createdAt: T0.AddDays(1)), rotatedItself: false, Audit(AuditActions.TokenRotated, first.Id), Cancel)).Replacement!;
        var third = (await stores.Tokens.RotateAsync(second.Id, NewToken(owner.Id, "rotating", createdAt: T0.AddDays(2)), rotatedItself: false, Audit(AuditActions.TokenRotated, second.Id), Cancel)).Replacement!;
        var child = await InsertAsync(stores, NewToken(owner.Id, "rotating", TokenKind.AccessToken, createdAt: T0.AddDays(2), parentId: third.Id));
        var otherFamily = await InsertAsync(stores, owner.Id, "other family");
        var at = T0.AddDays(3);
        var audit = new AuditEntry(AuditActions.TokenReuseDetected, at, null, first.Id, owner.Id, "203.0.113.9");

        var revoked = await stores.Tokens.RevokeFamilyAsync(first.FamilyId, at, audit, Cancel);

        Assert.Equal([third.Id, child.Id], revoked.Order());
        Assert.Equal(at, (await RequireAsync(stores, third.Id)).RevokedAt);
        Assert.Equal(at, (await RequireAsync(stores, child.Id)).RevokedAt);
        Assert.Equal(T0.AddDays(1), (await RequireAsync(stores, first.Id)).RevokedAt);
        Assert.Equal(T0.AddDays(2), (await RequireAsync(stores, second.Id)).RevokedAt);
        Assert.Null((await RequireAsync(stores, otherFamily.Id)).RevokedAt);
        Assert.Equal(audit, (await AuditTrailAsync(stores))[0]);
    }

    [Fact]
    public async Task Revoking_a_family_that_is_already_revoked_changes_nothing_and_is_not_audited()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);
        await stores.Tokens.RevokeFamilyAsync(token.FamilyId, T0, Audit(AuditActions.TokenReuseDetected, token.Id), Cancel);
        var auditBefore = (await AuditTrailAsync(stores)).Count;

        var again = await stores.Tokens.RevokeFamilyAsync(token.FamilyId, T0.AddSeconds(1), Audit(AuditActions.TokenReuseDetected, token.Id), Cancel);

        Assert.Empty(again);
        Assert.Equal(T0, (await RequireAsync(stores, token.Id)).RevokedAt);
        Assert.Equal(auditBefore, (await AuditTrailAsync(stores)).Count);
    }

    [Fact]
    public async Task Revoking_all_revokes_one_kind_of_one_users_tokens_and_what_derives_from_them()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var other = await CreateUserAsync(stores, "bob");
        var pat = await InsertAsync(stores, owner.Id, "pat");
        var child = await InsertAsync(stores, NewToken(owner.Id, "pat", TokenKind.AccessToken, parentId: pat.Id));
        var sessions = new[]
        {
            await InsertAsync(stores, NewToken(owner.Id, "session", TokenKind.Session)),
            await InsertAsync(stores, NewToken(owner.Id, "session", TokenKind.Session)),
        };
        var othersSession = await InsertAsync(stores, NewToken(other.Id, "session", TokenKind.Session));
        var auditBefore = (await AuditTrailAsync(stores)).Count;

        var endedSessions = await stores.Tokens.RevokeAllAsync(owner.Id, TokenKind.Session, T0.AddHours(1), Audit(AuditActions.SessionEnded), Cancel);

        Assert.Equal(sessions.Select(session => session.Id), endedSessions.Order());
        Assert.Null((await RequireAsync(stores, pat.Id)).RevokedAt);
        Assert.Null((await RequireAsync(stores, child.Id)).RevokedAt);
        Assert.Null((await RequireAsync(stores, othersSession.Id)).RevokedAt);
        Assert.Equal(auditBefore + 1, (await AuditTrailAsync(stores)).Count);

        var revokedPats = await stores.Tokens.RevokeAllAsync(owner.Id, TokenKind.Personal, T0.AddHours(2), Audit(AuditActions.TokenRevoked), Cancel);

        Assert.Equal([pat.Id, child.Id], revokedPats.Order());
        Assert.Equal(T0.AddHours(2), (await RequireAsync(stores, child.Id)).RevokedAt);
    }

    [Fact]
    public async Task Revoking_all_when_nothing_is_active_changes_nothing_and_is_not_audited()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        await InsertAsync(stores, owner.Id);

        var revoked = await stores.Tokens.RevokeAllAsync(owner.Id, TokenKind.Session, T0, Audit(AuditActions.SessionEnded), Cancel);

        Assert.Empty(revoked);
        Assert.Single(await AuditTrailAsync(stores));
    }

    [Fact]
    public async Task Rotation_revokes_the_old_token_and_adds_its_replacement_to_the_family()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var old = await InsertAsync(stores, owner.Id, "rotating");
        var child = await InsertAsync(stores, NewToken(owner.Id, "rotating", TokenKind.AccessToken, parentId: old.Id));
        var at = T0.AddDays(1).AddTicks(7);
        var replacement = NewToken(owner.Id, "rotating", createdAt: at, expiresAt: T0.AddDays(31));
        var audit = Audit(AuditActions.TokenRotated, old.Id, owner.Id);

        var outcome = await stores.Tokens.RotateAsync(old.Id, replacement, rotatedItself: false, audit, Cancel);

        var stored = outcome.Replacement;
        Assert.NotNull(stored);
        Assert.True(stored.Id > child.Id);
        Assert.Equal(old.FamilyId, stored.FamilyId);
        Assert.Equal(old.Id, stored.PreviousId);
        Assert.Equal(T0.AddDays(1), stored.CreatedAt);
        Assert.Equal(T0.AddDays(31), stored.ExpiresAt);
        Assert.Null(stored.RevokedAt);
        Assert.False(stored.Rotated);
        Assert.Equal([old.Id, child.Id], outcome.RevokedIds.Order());
        AssertSameToken(old with { RevokedAt = T0.AddDays(1), Rotated = true }, await stores.Tokens.FindAsync(old.Id, Cancel));
        AssertSameToken(child with { RevokedAt = T0.AddDays(1) }, await stores.Tokens.FindAsync(child.Id, Cancel));
        AssertSameToken(stored, (await stores.Tokens.FindByHashAsync(replacement.Hash, Cancel))?.Token);
        Assert.Equal(audit, (await AuditTrailAsync(stores))[0]);
    }

    [Fact]
    public async Task A_rotated_token_remembers_when_it_was_rotated_and_whether_it_rotated_itself()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var first = await InsertAsync(stores, owner.Id, "rotating");
        var secondToken = NewToken(owner.Id, "rotating", createdAt: T0.AddMinutes(1));
        var second = (await stores.Tokens.RotateAsync(first.Id, secondToken, rotatedItself: true, Audit(AuditActions.TokenRotated, first.Id), Cancel)).Replacement!;
        var third = (await stores.Tokens.RotateAsync(second.Id, NewToken(owner.Id, "rotating", createdAt: T0.AddMinutes(2)), rotatedItself: false, Audit(AuditActions.TokenRotated, second.Id), Cancel)).Replacement!;

        var selfRotated = await RequireAsync(stores, first.Id);

        // The validator reads it by hash; the rotate endpoints' judgement reads it by id.
        var rotatedByAnother = (await stores.Tokens.FindByHashAsync(secondToken.Hash, Cancel))!.Token;

        Assert.Equal((true, true, T0.AddMinutes(1)), (selfRotated.Rotated, selfRotated.RotatedItself, selfRotated.RotatedAt));
        Assert.Equal((true, false, T0.AddMinutes(2)), (rotatedByAnother.Rotated, rotatedByAnother.RotatedItself, rotatedByAnother.RotatedAt));
        Assert.False((await RequireAsync(stores, third.Id)).RotatedItself);
        Assert.Null((await RequireAsync(stores, third.Id)).RotatedAt);
    }

    [Fact]
    public async Task Every_rotation_keeps_the_family_of_the_first_token()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var first = await InsertAsync(stores, owner.Id, "rotating");

        var second = (await stores.Tokens.RotateAsync(first.Id, NewToken(owner.Id, "rotating"), rotatedItself: false, Audit(AuditActions.TokenRotated, first.Id), Cancel)).Replacement!;
        var third = (await stores.Tokens.RotateAsync(second.Id, NewToken(owner.Id, "rotating"), rotatedItself: false, Audit(AuditActions.TokenRotated, second.Id), Cancel)).Replacement!;

        Assert.Equal(first.Id, second.FamilyId);
        Assert.Equal(first.Id, third.FamilyId);
        Assert.Equal(second.Id, third.PreviousId);
        Assert.True((await RequireAsync(stores, second.Id)).Rotated);
    }

    [Fact]
    public async Task Rotating_a_revoked_token_loses_the_race_and_writes_nothing()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id);
        await stores.Tokens.RevokeAsync(token.Id, T0, Audit(AuditActions.TokenRevoked, token.Id), Cancel);
        var auditBefore = (await AuditTrailAsync(stores)).Count;
        var replacement = NewToken(owner.Id);

        var outcome = await stores.Tokens.RotateAsync(token.Id, replacement, rotatedItself: false, Audit(AuditActions.TokenRotated, token.Id), Cancel);

        Assert.Null(outcome.Replacement);
        Assert.Empty(outcome.RevokedIds);
        Assert.False((await RequireAsync(stores, token.Id)).Rotated);
        Assert.Null(await stores.Tokens.FindByHashAsync(replacement.Hash, Cancel));
        Assert.Equal(auditBefore, (await AuditTrailAsync(stores)).Count);
    }

    [Fact]
    public async Task Rotating_an_unknown_token_loses_the_race()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);

        var outcome = await stores.Tokens.RotateAsync(12345, NewToken(owner.Id), rotatedItself: false, Audit(AuditActions.TokenRotated), Cancel);

        Assert.Null(outcome.Replacement);
        Assert.Empty(await AuditTrailAsync(stores));
    }

    [Fact]
    public async Task Of_concurrent_rotations_of_one_token_exactly_one_succeeds()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var token = await InsertAsync(stores, owner.Id, "rotating");
        var replacements = Enumerable.Range(0, 4).Select(_ => NewToken(owner.Id, "rotating", createdAt: T0.AddMinutes(1))).ToArray();

        var outcomes = await RaceAsync(replacements.Length, i => stores.Tokens.RotateAsync(token.Id, replacements[i], rotatedItself: false, Audit(AuditActions.TokenRotated, token.Id), Cancel));

        var winner = Assert.Single(outcomes, outcome => outcome.Replacement is not null);
        Assert.Equal([token.Id], winner.RevokedIds);
        Assert.All(outcomes.Where(outcome => outcome.Replacement is null), loser => Assert.Empty(loser.RevokedIds));
        var family = await IdsAsync(stores, new TokenQuery { UserId = owner.Id, Sort = TokenSort.IdAsc, Now = T0 });
        Assert.Equal([token.Id, winner.Replacement!.Id], family);
        Assert.Equal(2, (await AuditTrailAsync(stores)).Count);
    }
}

using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Storage.Specification;

/// <summary>
/// Creating, finding, listing, changing and deleting users; usernames are unique without regard to case; every
/// write commits with its audit entry or not at all.
/// </summary>
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

        Assert.True(await stores.Users.SetPasswordHashAsync(user.Id, "old-hash", "new-hash", Cancel));

        Assert.Equal(user with { PasswordHash = "new-hash" }, await stores.Users.FindAsync(user.Id, Cancel));
        Assert.Equal(other, await stores.Users.FindAsync(other.Id, Cancel));
    }

    [Fact]
    public async Task Setting_the_password_of_an_unknown_user_changes_nothing()
    {
        var stores = await CreateStoresAsync();

        Assert.False(await stores.Users.SetPasswordHashAsync(424242, "old-hash", "new-hash", Cancel));
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

    [Fact]
    public async Task A_rehash_is_not_written_over_a_password_changed_meanwhile()
    {
        var stores = await CreateStoresAsync();
        var user = (await stores.Users.CreateAsync(new NewUser("grace", null, null, "changed-hash", false, T0), Cancel))!;

        Assert.False(await stores.Users.SetPasswordHashAsync(user.Id, "hash-verified-before-the-change", "rehash", Cancel));

        Assert.Equal("changed-hash", (await stores.Users.FindAsync(user.Id, Cancel))!.PasswordHash);
    }

    [Fact]
    public async Task A_created_users_audit_entry_names_the_new_user_and_a_taken_name_appends_none()
    {
        var stores = await CreateStoresAsync();
        var audit = new AuditEntry(AuditActions.UserCreated, T0, ActorUserId: 7);

        var user = await stores.Users.CreateAsync(new NewUser("ada", null, null, "x", false, T0) { Audit = audit }, Cancel);
        var taken = await stores.Users.CreateAsync(new NewUser("ADA", null, null, "x", false, T0) { Audit = audit }, Cancel);

        Assert.Null(taken);
        Assert.Equal([audit with { SubjectUserId = user!.Id }], await AuditTrailAsync(stores));
    }

    [Fact]
    public async Task An_update_changes_only_the_fields_given_and_appends_its_audit_entry()
    {
        var stores = await CreateStoresAsync();
        var user = await CreateUserAsync(stores, "grace");
        var other = await CreateUserAsync(stores, "alan");
        var audit = Audit(AuditActions.UserUpdated);

        var renamed = await stores.Users.UpdateAsync(user.Id, new UserChanges { Name = "Grace Hopper", NameChanged = true, Email = null, EmailChanged = true }, audit, Cancel);
        var promoted = await stores.Users.UpdateAsync(user.Id, new UserChanges { IsAdmin = true, State = UserStates.Blocked, PasswordHash = "new-hash" }, audit, Cancel);

        Assert.Equal(user with { Name = "Grace Hopper", Email = null }, renamed.User);
        Assert.Equal(user with { Name = "Grace Hopper", Email = null, IsAdmin = true, State = UserStates.Blocked, PasswordHash = "new-hash" }, promoted.User);
        Assert.Equal(promoted.User, await stores.Users.FindAsync(user.Id, Cancel));
        Assert.Equal(other, await stores.Users.FindAsync(other.Id, Cancel));
        Assert.Equal([audit, audit], await AuditTrailAsync(stores));
    }

    [Fact]
    public async Task Updating_or_deleting_an_unknown_user_writes_nothing()
    {
        var stores = await CreateStoresAsync();

        var updated = await stores.Users.UpdateAsync(424242, new UserChanges { Name = "x", NameChanged = true }, Audit(AuditActions.UserUpdated), Cancel);
        var deleted = await stores.Users.DeleteAsync(424242, false, Audit(AuditActions.UserDeleted), Cancel);

        Assert.Equal(UserWriteRefusal.NotFound, updated.Refusal);
        Assert.Equal(UserWriteRefusal.NotFound, deleted.Refusal);
        Assert.Empty(await AuditTrailAsync(stores));
    }

    [Fact]
    public async Task Ending_sessions_revokes_the_users_sessions_but_the_one_kept_and_leaves_their_tokens()
    {
        var stores = await CreateStoresAsync();
        var user = await CreateUserAsync(stores, "grace");
        var other = await CreateUserAsync(stores, "alan");
        var kept = await InsertAsync(stores, NewToken(user.Id, "session", TokenKind.Session));
        var ended = await InsertAsync(stores, NewToken(user.Id, "session", TokenKind.Session));
        var pat = await InsertAsync(stores, user.Id, "pat");
        var othersSession = await InsertAsync(stores, NewToken(other.Id, "session", TokenKind.Session));
        var audit = new AuditEntry(AuditActions.UserPasswordChanged, T0.AddHours(1), user.Id, SubjectUserId: user.Id);

        var outcome = await stores.Users.UpdateAsync(user.Id, new UserChanges { PasswordHash = "new-hash", EndSessions = true, KeepSessionId = kept.Id }, audit, Cancel);

        Assert.Equal([ended.Id], outcome.EndedSessionIds);
        Assert.Equal(T0.AddHours(1), (await RequireAsync(stores, ended.Id)).RevokedAt);
        Assert.Null((await RequireAsync(stores, kept.Id)).RevokedAt);
        Assert.Null((await RequireAsync(stores, pat.Id)).RevokedAt);
        Assert.Null((await RequireAsync(stores, othersSession.Id)).RevokedAt);
        Assert.Equal(audit, (await AuditTrailAsync(stores))[0]);
    }

    [Fact]
    public async Task A_change_that_would_leave_no_active_administrator_is_refused_and_writes_nothing()
    {
        var stores = await CreateStoresAsync();
        var admin = await CreateUserAsync(stores, "root", isAdmin: true);
        var session = await InsertAsync(stores, NewToken(admin.Id, "session", TokenKind.Session));
        var auditBefore = (await AuditTrailAsync(stores)).Count;

        var blocked = await stores.Users.UpdateAsync(admin.Id, new UserChanges { State = UserStates.Blocked, EndSessions = true, KeepAnActiveAdministrator = true }, Audit(AuditActions.UserBlocked), Cancel);
        var demoted = await stores.Users.UpdateAsync(admin.Id, new UserChanges { IsAdmin = false, KeepAnActiveAdministrator = true }, Audit(AuditActions.UserUpdated), Cancel);
        var deleted = await stores.Users.DeleteAsync(admin.Id, keepAnActiveAdministrator: true, Audit(AuditActions.UserDeleted), Cancel);

        Assert.All(new[] { blocked, demoted, deleted }, outcome => Assert.Equal(UserWriteRefusal.LastAdministrator, outcome.Refusal));
        Assert.Equal(admin, await stores.Users.FindAsync(admin.Id, Cancel));
        Assert.Null((await RequireAsync(stores, session.Id)).RevokedAt);
        Assert.Equal(auditBefore, (await AuditTrailAsync(stores)).Count);
    }

    [Fact]
    public async Task Another_active_administrator_lets_one_be_blocked_but_a_blocked_one_does_not_count()
    {
        var stores = await CreateStoresAsync();
        var first = await CreateUserAsync(stores, "first", isAdmin: true);
        var second = await CreateUserAsync(stores, "second", isAdmin: true);
        var block = new UserChanges { State = UserStates.Blocked, KeepAnActiveAdministrator = true };

        var blocked = await stores.Users.UpdateAsync(first.Id, block, Audit(AuditActions.UserBlocked), Cancel);
        var last = await stores.Users.UpdateAsync(second.Id, block, Audit(AuditActions.UserBlocked), Cancel);

        Assert.Equal(UserWriteRefusal.None, blocked.Refusal);
        Assert.Equal(UserWriteRefusal.LastAdministrator, last.Refusal);
        Assert.True((await stores.Users.FindAsync(second.Id, Cancel))!.IsActive);
    }

    [Fact]
    public async Task Deleting_a_user_deletes_their_tokens_frees_the_username_and_keeps_the_audit_log()
    {
        var stores = await CreateStoresAsync();
        var user = await CreateUserAsync(stores, "grace");
        var other = await CreateUserAsync(stores, "alan");
        var pat = NewToken(user.Id, "pat");
        await InsertAsync(stores, pat);
        var othersPat = await InsertAsync(stores, other.Id, "pat");
        var audit = new AuditEntry(AuditActions.UserDeleted, T0, 1, SubjectUserId: user.Id, Details: "username=grace");

        var outcome = await stores.Users.DeleteAsync(user.Id, false, audit, Cancel);

        Assert.Equal(user, outcome.User);
        Assert.Null(await stores.Users.FindAsync(user.Id, Cancel));
        Assert.Null(await stores.Tokens.FindByHashAsync(pat.Hash, Cancel));
        Assert.NotNull(await stores.Tokens.FindAsync(othersPat.Id, Cancel));
        var trail = await AuditTrailAsync(stores);
        Assert.Equal(audit, trail[0]);
        Assert.Equal(3, trail.Count);
        var again = await CreateUserAsync(stores, "GRACE");
        Assert.True(again.Id > other.Id);
    }
}

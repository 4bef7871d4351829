using System.Security.Cryptography;
using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Storage.Specification;

/// <summary>
/// A user's two-factor state: a pending key until confirmed, the confirmed key with its last accepted step, recovery
/// codes used once; every change conditional on the state it expects, committed with its audit entry or not at all.
/// </summary>
public abstract class TwoFactorStoreSpecification : StoreSpecification
{
    [Fact]
    public async Task A_pending_key_is_kept_until_enabled_then_becomes_the_key_with_its_step_codes_and_audit_entry()
    {
        var stores = await CreateStoresAsync();
        var user = await CreateUserAsync(stores, "grace");
        var codes = Codes(10);

        Assert.True(await stores.Users.SetPendingTwoFactorAsync(user.Id, "pending-1", Cancel));
        Assert.Equal(new TwoFactorSecrets(null, "pending-1", null), await stores.Users.GetTwoFactorAsync(user.Id, Cancel));
        Assert.False((await stores.Users.FindAsync(user.Id, Cancel))!.HasTwoFactor);

        var audit = new AuditEntry(AuditActions.UserTwoFactorEnabled, T0, user.Id, SubjectUserId: user.Id);
        var outcome = await stores.Users.EnableTwoFactorAsync(user.Id, "pending-1", 4242, codes, audit, Cancel);

        Assert.Equal(UserWriteRefusal.None, outcome.Refusal);
        Assert.Equal(user with { TwoFactorEnabledAt = T0 }, outcome.User);
        Assert.Equal(outcome.User, await stores.Users.FindAsync(user.Id, Cancel));
        Assert.Equal(new TwoFactorSecrets("pending-1", null, 4242), await stores.Users.GetTwoFactorAsync(user.Id, Cancel));
        var stored = await stores.Users.ListRecoveryCodesAsync(user.Id, Cancel);
        Assert.Equal(codes.Select(c => (c.KeyId, c.Hash)), stored.Select(c => (c.KeyId, c.Hash)));
        Assert.All(stored, code => Assert.Null(code.UsedAt));
        Assert.Equal(audit, (await AuditTrailAsync(stores))[0]);
    }

    [Fact]
    public async Task Enabling_with_a_pending_key_that_changed_or_twice_writes_nothing()
    {
        var stores = await CreateStoresAsync();
        var user = await CreateUserAsync(stores, "grace");
        await stores.Users.SetPendingTwoFactorAsync(user.Id, "pending-1", Cancel);
        await stores.Users.SetPendingTwoFactorAsync(user.Id, "pending-2", Cancel);
        var auditBefore = (await AuditTrailAsync(stores)).Count;

        var stale = await stores.Users.EnableTwoFactorAsync(user.Id, "pending-1", 1, Codes(2), Audit(AuditActions.UserTwoFactorEnabled), Cancel);
        var missing = await stores.Users.EnableTwoFactorAsync(user.Id + 99, "pending-2", 1, Codes(2), Audit(AuditActions.UserTwoFactorEnabled), Cancel);

        Assert.Equal(UserWriteRefusal.TwoFactorChanged, stale.Refusal);
        Assert.Equal(UserWriteRefusal.NotFound, missing.Refusal);
        Assert.Equal(new TwoFactorSecrets(null, "pending-2", null), await stores.Users.GetTwoFactorAsync(user.Id, Cancel));
        Assert.Empty(await stores.Users.ListRecoveryCodesAsync(user.Id, Cancel));
        Assert.Equal(auditBefore, (await AuditTrailAsync(stores)).Count);

        Assert.Equal(UserWriteRefusal.None, (await stores.Users.EnableTwoFactorAsync(user.Id, "pending-2", 1, Codes(2), Audit(AuditActions.UserTwoFactorEnabled), Cancel)).Refusal);
        Assert.Equal(UserWriteRefusal.TwoFactorChanged, (await stores.Users.EnableTwoFactorAsync(user.Id, "pending-2", 1, Codes(2), Audit(AuditActions.UserTwoFactorEnabled), Cancel)).Refusal);
        Assert.False(await stores.Users.SetPendingTwoFactorAsync(user.Id, "pending-3", Cancel));
        Assert.Null(await stores.Users.GetTwoFactorAsync(user.Id + 99, Cancel));
    }

    [Fact]
    public async Task The_last_step_only_moves_forward_and_of_racing_writers_of_one_step_one_wins()
    {
        var stores = await CreateStoresAsync();
        var user = await EnabledUserAsync(stores, step: 10);
        var off = await CreateUserAsync(stores, "alan");

        Assert.False(await stores.Users.AdvanceTwoFactorStepAsync(user.Id, 10, Cancel));
        Assert.False(await stores.Users.AdvanceTwoFactorStepAsync(user.Id, 9, Cancel));
        Assert.False(await stores.Users.AdvanceTwoFactorStepAsync(off.Id, 11, Cancel));
        var raced = await RaceAsync(6, _ => stores.Users.AdvanceTwoFactorStepAsync(user.Id, 11, Cancel));

        Assert.Single(raced, won => won);
        Assert.Equal(11, (await stores.Users.GetTwoFactorAsync(user.Id, Cancel))!.LastStep);
    }

    [Fact]
    public async Task A_recovery_code_is_used_once_with_its_audit_entry_and_only_by_its_owner()
    {
        var stores = await CreateStoresAsync();
        var user = await EnabledUserAsync(stores);
        var other = await EnabledUserAsync(stores, "alan");
        var code = (await stores.Users.ListRecoveryCodesAsync(user.Id, Cancel))[1];
        var used = new AuditEntry(AuditActions.UserRecoveryCodeUsed, T0.AddMinutes(1), user.Id, SubjectUserId: user.Id);

        Assert.False(await stores.Users.UseRecoveryCodeAsync(other.Id, code.Id, used, Cancel));
        var raced = await RaceAsync(6, _ => stores.Users.UseRecoveryCodeAsync(user.Id, code.Id, used, Cancel));

        Assert.Single(raced, won => won);
        var after = await stores.Users.ListRecoveryCodesAsync(user.Id, Cancel);
        Assert.Equal(used.At, after[1].UsedAt);
        Assert.Single(after, c => c.UsedAt is not null);
        Assert.Single(await AuditTrailAsync(stores), entry => entry.Action == AuditActions.UserRecoveryCodeUsed);
    }

    [Fact]
    public async Task Replacing_recovery_codes_removes_the_old_ones_and_needs_two_factor_on()
    {
        var stores = await CreateStoresAsync();
        var user = await EnabledUserAsync(stores);
        var off = await CreateUserAsync(stores, "alan");
        var fresh = Codes(10);

        var replaced = await stores.Users.ReplaceRecoveryCodesAsync(user.Id, fresh, Audit(AuditActions.UserRecoveryCodesRegenerated), Cancel);
        var refused = await stores.Users.ReplaceRecoveryCodesAsync(off.Id, fresh, Audit(AuditActions.UserRecoveryCodesRegenerated), Cancel);

        Assert.Equal(UserWriteRefusal.None, replaced.Refusal);
        Assert.Equal(UserWriteRefusal.TwoFactorChanged, refused.Refusal);
        Assert.Equal(fresh.Select(c => c.Hash), (await stores.Users.ListRecoveryCodesAsync(user.Id, Cancel)).Select(c => c.Hash));
        Assert.Empty(await stores.Users.ListRecoveryCodesAsync(off.Id, Cancel));
        Assert.Single(await AuditTrailAsync(stores), entry => entry.Action == AuditActions.UserRecoveryCodesRegenerated);
    }

    [Fact]
    public async Task Disabling_clears_keys_step_and_codes_with_its_audit_entry_and_deleting_the_user_removes_their_codes()
    {
        var stores = await CreateStoresAsync();
        var user = await EnabledUserAsync(stores);
        var other = await EnabledUserAsync(stores, "alan");

        var disabled = await stores.Users.DisableTwoFactorAsync(user.Id, Audit(AuditActions.UserTwoFactorDisabled), Cancel);

        Assert.Null(disabled.User!.TwoFactorEnabledAt);
        Assert.Equal(new TwoFactorSecrets(null, null, null), await stores.Users.GetTwoFactorAsync(user.Id, Cancel));
        Assert.Empty(await stores.Users.ListRecoveryCodesAsync(user.Id, Cancel));
        Assert.Equal(10, (await stores.Users.ListRecoveryCodesAsync(other.Id, Cancel)).Count);
        Assert.Equal(AuditActions.UserTwoFactorDisabled, (await AuditTrailAsync(stores))[0].Action);
        Assert.Equal(UserWriteRefusal.NotFound, (await stores.Users.DisableTwoFactorAsync(user.Id + 99, Audit(AuditActions.UserTwoFactorDisabled), Cancel)).Refusal);

        await stores.Users.DeleteAsync(other.Id, false, Audit(AuditActions.UserDeleted), Cancel);
        Assert.Empty(await stores.Users.ListRecoveryCodesAsync(other.Id, Cancel));
    }

    [Fact]
    public async Task The_grace_period_starts_once()
    {
        var stores = await CreateStoresAsync();
        var user = await CreateUserAsync(stores, "grace");

        Assert.True(await stores.Users.StartTwoFactorGraceAsync(user.Id, T0, Cancel));
        Assert.False(await stores.Users.StartTwoFactorGraceAsync(user.Id, T0.AddDays(1), Cancel));

        Assert.Equal(T0, (await stores.Users.FindAsync(user.Id, Cancel))!.TwoFactorGraceFrom);
    }

    private static List<(string KeyId, TokenHash Hash)> Codes(int count)
        => [.. Enumerable.Range(0, count).Select(_ => ("k1", new TokenHash(RandomNumberGenerator.GetBytes(TokenHash.Size))))];

    private static async Task<User> EnabledUserAsync(StoreUnderTest stores, string username = "grace", long step = 1)
    {
        var user = await CreateUserAsync(stores, username);
        await stores.Users.SetPendingTwoFactorAsync(user.Id, "pending-" + username, Cancel);
        var outcome = await stores.Users.EnableTwoFactorAsync(user.Id, "pending-" + username, step, Codes(10), Audit(AuditActions.UserTwoFactorEnabled), Cancel);
        return outcome.User ?? throw new InvalidOperationException($"Enabling two-factor authentication was refused: {outcome.Refusal}.");
    }
}

using System.Security.Cryptography;
using Latchkey.Stores;
using Latchkey.Tokens;

namespace Latchkey.Storage.Specification;

/// <summary>
/// Nodes compare their hashing keys with the store at start-up (<see cref="HashingKeyCheck"/>): each node here is a
/// key ring of its own over the same database. The refusals are what an operator reads, so their words are asserted.
/// </summary>
public abstract class HashingKeyCheckSpecification : StoreSpecification
{
    private static readonly byte[] KeyOne = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task Nodes_with_the_same_keys_start_and_the_first_records_each_key_once()
    {
        var stores = await CreateStoresAsync();
        var keys = Store(stores);

        await Node(stores, ("k1", KeyOne)).VerifyAsync(Cancel);
        await Node(stores, ("k1", KeyOne)).VerifyAsync(Cancel);

        var recorded = Assert.Single(await keys.ListRecordedAsync(Cancel));
        Assert.Equal("k1", recorded.KeyId);
        Assert.Equal(new TokenHasher(Ring(("k1", KeyOne))).KeyCheckValue("k1"), recorded.CheckValue);
        Assert.Matches("^[0-9a-f]{16}$", recorded.CheckValue);
        Assert.Equal(T0, recorded.FirstUsedAt);
    }

    [Fact]
    public async Task A_node_that_generated_its_own_key_under_the_same_id_is_refused_with_the_id_and_what_to_copy()
    {
        var stores = await CreateStoresAsync();
        await Node(stores, ("k1", KeyOne)).VerifyAsync(Cancel);

        var refusal = await Assert.ThrowsAsync<HashingKeyMismatchException>(() => Node(stores, ("k1", RandomNumberGenerator.GetBytes(32))).VerifyAsync(Cancel));

        Assert.Equal("k1", refusal.KeyId);
        Assert.Equal(
            "this node's hashing key 'k1' is not the key 'k1' first used with this database (on 2025-03-14 15:09:26 UTC); every node needs the same keys. " +
            "Copy the hashing key file (Latchkey:Hashing:KeyFile) of the node that first used it over this node's, or set the same Latchkey:Hashing:Keys:k1 here, then start this node again.",
            refusal.Message);
    }

    [Fact]
    public async Task A_node_lacking_the_key_of_live_tokens_is_refused_and_records_none_of_its_own_keys()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        await InsertAsync(stores, NewToken(owner.Id) with { KeyId = "k0" });

        var refusal = await Assert.ThrowsAsync<HashingKeyMismatchException>(() => Node(stores, ("k1", KeyOne)).VerifyAsync(Cancel));

        Assert.Equal("k0", refusal.KeyId);
        Assert.StartsWith("tokens or recovery codes in the database were hashed with the hashing key 'k0', which this node does not have. Copy the hashing key file", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Latchkey:Hashing:Keys:k0", refusal.Message, StringComparison.Ordinal);

        // The refused node's own key took no id: the right file, copied later, still starts.
        Assert.Empty(await Store(stores).ListRecordedAsync(Cancel));
        var keyZero = RandomNumberGenerator.GetBytes(32);
        await Node(stores, ("k0", keyZero), ("k1", KeyOne)).VerifyAsync(Cancel);
        Assert.Equal(["k0", "k1"], (await Store(stores).ListRecordedAsync(Cancel)).Select(key => key.KeyId));
    }

    [Fact]
    public async Task Keys_of_revoked_and_expired_tokens_and_used_recovery_codes_are_not_needed_but_unused_codes_keys_are()
    {
        var stores = await CreateStoresAsync();
        var owner = await CreateUserAsync(stores);
        var revoked = await InsertAsync(stores, NewToken(owner.Id, "revoked") with { KeyId = "r0" });
        await stores.Tokens.RevokeAsync(revoked.Id, T0, Audit(Auditing.AuditActions.TokenRevoked), Cancel);
        await InsertAsync(stores, NewToken(owner.Id, "expired", expiresAt: T0.AddDays(-1)) with { KeyId = "e0" });
        await stores.Users.SetPendingTwoFactorAsync(owner.Id, "pending", Cancel);
        await stores.Users.EnableTwoFactorAsync(owner.Id, "pending", 1, [("c0", new TokenHash(RandomNumberGenerator.GetBytes(TokenHash.Size)))], Audit(Auditing.AuditActions.UserTwoFactorEnabled), Cancel);

        var refusal = await Assert.ThrowsAsync<HashingKeyMismatchException>(() => Node(stores, ("k1", KeyOne)).VerifyAsync(Cancel));
        Assert.Equal("c0", refusal.KeyId);

        var code = Assert.Single(await stores.Users.ListRecoveryCodesAsync(owner.Id, Cancel));
        await stores.Users.UseRecoveryCodeAsync(owner.Id, code.Id, Audit(Auditing.AuditActions.UserRecoveryCodeUsed), Cancel);
        await Node(stores, ("k1", KeyOne)).VerifyAsync(Cancel);
    }

    [Fact]
    public async Task Two_nodes_with_different_keys_starting_at_once_on_an_empty_table_let_exactly_one_start()
    {
        var stores = await CreateStoresAsync();
        var nodes = new[] { Node(stores, ("k1", KeyOne)), Node(stores, ("k1", RandomNumberGenerator.GetBytes(32))) };

        var outcomes = await RaceAsync(2, async i =>
        {
            try
            {
                await nodes[i].VerifyAsync(Cancel);
                return true;
            }
            catch (HashingKeyMismatchException)
            {
                return false;
            }
        });

        Assert.Single(outcomes, started => started);
    }

    private static IHashingKeyStore Store(StoreUnderTest stores)
        => stores.HashingKeys ?? throw new InvalidOperationException("This store records no hashing keys.");

    private static TokenKeyRing Ring(params (string Id, byte[] Key)[] keys)
        => new(keys[^1].Id, keys.ToDictionary(key => key.Id, key => key.Key));

    /// <summary>A node starting at <see cref="StoreSpecification.T0"/> with these keys, the last one current.</summary>
    private static HashingKeyCheck Node(StoreUnderTest stores, params (string Id, byte[] Key)[] keys)
    {
        var ring = Ring(keys);
        return new HashingKeyCheck(ring, new TokenHasher(ring), new FixedTime(T0), Store(stores));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

using Latchkey.Tests.Fakes;
using Latchkey.Tokens;

namespace Latchkey.Tests.Tokens;

public sealed class TokenHasherTests
{
    [Fact]
    public void The_same_token_always_hashes_the_same()
    {
        var hasher = new TokenHasher(EngineBuilder.NewKeyRing());
        var token = TokenFormat.Generate("lk_", hasher.CurrentKeyId);

        Assert.True(TokenFormat.TryParse(token, out var parsed));
        Assert.True(hasher.TryHash(parsed, out var presented));

        Assert.Equal(hasher.HashNew(token), hasher.HashNew(token));
        Assert.Equal(hasher.HashNew(token), presented);
    }

    [Fact]
    public void The_sanctum_form_hashes_like_the_token_itself()
    {
        var hasher = new TokenHasher(EngineBuilder.NewKeyRing());
        var token = TokenFormat.Generate("lk_", hasher.CurrentKeyId);

        Assert.True(TokenFormat.TryParse($"7|{token}", out var parsed));
        Assert.True(hasher.TryHash(parsed, out var hash));

        Assert.Equal(hasher.HashNew(token), hash);
    }

    [Fact]
    public void Different_tokens_hash_differently()
    {
        var hasher = new TokenHasher(EngineBuilder.NewKeyRing());

        var hashes = Enumerable.Range(0, 1000).Select(_ => hasher.HashNew(TokenFormat.Generate("lk_", "k1"))).ToHashSet();

        Assert.Equal(1000, hashes.Count);
    }

    [Fact]
    public void The_same_token_under_another_key_hashes_differently()
    {
        var token = TokenFormat.Generate("lk_", "k1");

        var one = new TokenHasher(EngineBuilder.NewKeyRing()).HashNew(token);
        var other = new TokenHasher(EngineBuilder.NewKeyRing()).HashNew(token);

        Assert.NotEqual(one, other);
    }

    [Fact]
    public void A_keys_check_value_is_the_same_on_every_ring_holding_it_and_tells_other_keys_apart()
    {
        var k1 = EngineBuilder.NewKey();
        var one = new TokenHasher(new TokenKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = k1 }));
        var other = new TokenHasher(new TokenKeyRing("k2", new Dictionary<string, byte[]> { ["k1"] = k1, ["k2"] = EngineBuilder.NewKey() }));

        Assert.Matches("^[0-9a-f]{16}$", one.KeyCheckValue("k1"));
        Assert.Equal(one.KeyCheckValue("k1"), other.KeyCheckValue("k1"));
        Assert.NotEqual(other.KeyCheckValue("k1"), other.KeyCheckValue("k2"));
        Assert.NotEqual(one.KeyCheckValue("k1"), new TokenHasher(EngineBuilder.NewKeyRing()).KeyCheckValue("k1"));
        Assert.Null(one.KeyCheckValue("k2"));
    }

    [Fact]
    public void A_token_made_under_the_old_key_still_hashes_the_same_after_a_new_key_becomes_current()
    {
        var k1 = EngineBuilder.NewKey();
        var before = new TokenHasher(new TokenKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = k1 }));
        var token = TokenFormat.Generate("lk_", before.CurrentKeyId);
        var stored = before.HashNew(token);

        var after = new TokenHasher(new TokenKeyRing("k2", new Dictionary<string, byte[]> { ["k1"] = k1, ["k2"] = EngineBuilder.NewKey() }));
        Assert.True(TokenFormat.TryParse(token, out var parsed));
        Assert.True(after.TryHash(parsed, out var presented));

        Assert.Equal(stored, presented);
        Assert.Equal("k2", after.CurrentKeyId);
    }

    [Fact]
    public void A_token_naming_a_key_the_ring_does_not_hold_cannot_be_hashed()
    {
        var hasher = new TokenHasher(EngineBuilder.NewKeyRing("k1"));
        Assert.True(TokenFormat.TryParse(TokenFormat.Generate("lk_", "zz"), out var parsed));

        Assert.False(hasher.TryHash(parsed, out _));
    }

    [Fact]
    public void Hashing_a_string_that_is_not_a_token_of_this_ring_is_a_misconfiguration()
    {
        var hasher = new TokenHasher(EngineBuilder.NewKeyRing("k1"));

        Assert.Throws<InvalidOperationException>(() => hasher.HashNew("not a token"));
        Assert.Throws<InvalidOperationException>(() => hasher.HashNew(TokenFormat.Generate("lk_", "k2")));
    }

    [Fact]
    public void Matches_accepts_only_the_identical_hash()
    {
        var hasher = new TokenHasher(EngineBuilder.NewKeyRing());
        var hash = hasher.HashNew(TokenFormat.Generate("lk_", "k1"));
        var bytes = hash.ToArray();

        Assert.True(TokenHasher.Matches(hash, new TokenHash(bytes)));
        for (var i = 0; i < TokenHash.Size; i++)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] ^= 0x01;
            Assert.False(TokenHasher.Matches(hash, new TokenHash(changed)), $"A difference in byte {i} went unnoticed.");
        }
    }

    [Fact]
    public void A_hash_survives_a_round_trip_through_its_bytes()
    {
        var hash = new TokenHasher(EngineBuilder.NewKeyRing()).HashNew(TokenFormat.Generate("lk_", "k1"));

        Assert.Equal(hash, new TokenHash(hash.ToArray()));
        Assert.Throws<ArgumentException>(() => new TokenHash(new byte[31]));
    }

    [Fact]
    public void Keys_shorter_than_32_bytes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new TokenKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = new byte[31] }));
        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);

        _ = new TokenKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = new byte[32] });
    }

    [Theory]
    [InlineData("k")]
    [InlineData("key")]
    [InlineData("k-")]
    [InlineData("")]
    public void Key_ids_that_are_not_two_base62_characters_are_refused(string keyId)
    {
        Assert.Throws<ArgumentException>(() => new TokenKeyRing(keyId, new Dictionary<string, byte[]> { [keyId] = EngineBuilder.NewKey() }));
    }

    [Fact]
    public void The_current_key_must_be_in_the_ring()
    {
        Assert.Throws<ArgumentException>(() => new TokenKeyRing("k2", new Dictionary<string, byte[]> { ["k1"] = EngineBuilder.NewKey() }));
    }

    [Fact]
    public void Changing_the_key_array_after_building_the_ring_does_not_change_hashes()
    {
        var key = EngineBuilder.NewKey();
        var hasher = new TokenHasher(new TokenKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = key }));
        var token = TokenFormat.Generate("lk_", "k1");
        var before = hasher.HashNew(token);

        Array.Clear(key);

        Assert.Equal(before, hasher.HashNew(token));
    }

    [Fact]
    public void A_fingerprint_is_recognised_under_the_key_it_names_after_another_key_becomes_current_and_not_once_that_key_is_gone()
    {
        var k1 = EngineBuilder.NewKey();
        var before = new TokenHasher(new TokenKeyRing("k1", new Dictionary<string, byte[]> { ["k1"] = k1 }));
        var fingerprint = before.Fingerprint("pending sign-in", "42");

        var rotated = new TokenHasher(new TokenKeyRing("k2", new Dictionary<string, byte[]> { ["k1"] = k1, ["k2"] = EngineBuilder.NewKey() }));
        Assert.StartsWith("k1:", fingerprint, StringComparison.Ordinal);
        Assert.True(rotated.IsFingerprint("pending sign-in", "42", fingerprint));
        Assert.False(rotated.IsFingerprint("pending sign-in", "43", fingerprint));
        Assert.False(rotated.IsFingerprint("another purpose", "42", fingerprint));
        Assert.StartsWith("k2:", rotated.Fingerprint("pending sign-in", "42"), StringComparison.Ordinal);

        var withoutK1 = new TokenHasher(new TokenKeyRing("k2", new Dictionary<string, byte[]> { ["k2"] = EngineBuilder.NewKey() }));
        Assert.False(withoutK1.IsFingerprint("pending sign-in", "42", fingerprint));
        Assert.False(withoutK1.IsFingerprint("pending sign-in", "42", "no key id"));
        Assert.False(new TokenHasher(EngineBuilder.NewKeyRing()).IsFingerprint("pending sign-in", "42", fingerprint));
    }
}

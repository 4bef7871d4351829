using System.Security.Cryptography;
using Latchkey.Tokens;

namespace Latchkey.Tests.Tokens;

public sealed class TokenFormatTests
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [Theory]
    [InlineData("lk_")]
    [InlineData("glpat-")]
    [InlineData("")]
    [InlineData("a:b_c-d")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Generated_token_parses_and_names_its_key(string prefix)
    {
        var token = TokenFormat.Generate(prefix, "k1");

        Assert.True(TokenFormat.TryParse(token, out var parsed));
        Assert.StartsWith(prefix, token, StringComparison.Ordinal);
        Assert.Equal(prefix.Length + TokenFormat.BodyLength, token.Length);
        Assert.Equal(token, parsed.Canonical.ToString());
        Assert.Equal("k1", parsed.KeyId.ToString());
        Assert.Null(parsed.ClaimedId);
    }

    [Fact]
    public void Every_one_of_the_thirty_random_characters_ranges_over_all_of_base62()
    {
        // 30 positions × log2(62) ≈ 178 bits, but only if every position really draws from all 62 symbols.
        // The chance that a fair draw misses a given symbol at a given position in 4000 tokens is about e^-65.
        var seen = Enumerable.Range(0, TokenFormat.RandomLength).Select(_ => new HashSet<char>()).ToArray();
        for (var i = 0; i < 4000; i++)
        {
            var token = TokenFormat.Generate("lk_", "k1");
            var random = token.AsSpan(3, token.Length - 3 - TokenFormat.KeyIdLength - TokenFormat.ChecksumLength);
            Assert.Equal(30, random.Length);
            for (var p = 0; p < random.Length; p++)
            {
                seen[p].Add(random[p]);
            }
        }

        Assert.All(seen, symbols => Assert.Equal(62, symbols.Count));
        Assert.True(TokenFormat.RandomLength * Math.Log2(62) >= 160);
    }

    [Fact]
    public void Generated_tokens_are_all_different()
    {
        var tokens = Enumerable.Range(0, 5000).Select(_ => TokenFormat.Generate("lk_", "k1")).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(5000, tokens.Count);
    }

    [Fact]
    public void A_one_character_typo_anywhere_fails_the_checksum()
    {
        const string alphabet = Base62 + "_-:";
        for (var n = 0; n < 25; n++)
        {
            var token = TokenFormat.Generate("lk_", "k1");
            for (var position = 0; position < token.Length; position++)
            {
                foreach (var typo in alphabet.Where(c => c != token[position]))
                {
                    var mistyped = string.Concat(token.AsSpan(0, position), typo.ToString(), token.AsSpan(position + 1));
                    Assert.False(TokenFormat.TryParse(mistyped, out _), $"'{mistyped}' (typo at {position}) was accepted.");
                }
            }
        }
    }

    [Fact]
    public void Swapping_two_neighbouring_characters_fails_the_checksum()
    {
        for (var n = 0; n < 200; n++)
        {
            var token = TokenFormat.Generate("lk_", "k1").ToCharArray();
            var position = n % (token.Length - 1);
            if (token[position] == token[position + 1])
            {
                continue;
            }

            (token[position], token[position + 1]) = (token[position + 1], token[position]);
            Assert.False(TokenFormat.TryParse(new string(token), out _));
        }
    }

    [Fact]
    public void Random_strings_of_the_right_shape_are_refused()
    {
        for (var i = 0; i < 5000; i++)
        {
            var guess = "lk_" + RandomNumberGenerator.GetString(Base62, TokenFormat.BodyLength);
            Assert.False(TokenFormat.TryParse(guess, out _), guess);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("lk_")]
    [InlineData("Bearer")]
    [InlineData("0123456789012345678901234567890123456")]
    public void Nothing_and_short_strings_are_refused(string? presented)
    {
        Assert.False(TokenFormat.TryParse(presented, out _));
    }

    [Fact]
    public void A_token_with_text_around_it_is_refused()
    {
        var token = TokenFormat.Generate("lk_", "k1");

        Assert.False(TokenFormat.TryParse(" " + token, out _));
        Assert.False(TokenFormat.TryParse(token + " ", out _));
        Assert.False(TokenFormat.TryParse(token + "\n", out _));
        Assert.False(TokenFormat.TryParse("Bearer " + token, out _));
    }

    [Fact]
    public void Anything_longer_than_the_longest_token_is_refused_without_looking_further()
    {
        Assert.False(TokenFormat.TryParse(new string('a', TokenFormat.MaxTokenLength + 1), out _));
        Assert.False(TokenFormat.TryParse(new string('a', 100_000), out _));
    }

    [Fact]
    public void The_longest_prefix_with_the_longest_sanctum_id_still_parses()
    {
        var token = TokenFormat.Generate(new string('p', TokenFormat.MaxPrefixLength), "k1");
        var presented = $"{long.MaxValue}|{token}";

        Assert.True(TokenFormat.TryParse(presented, out var parsed));
        Assert.Equal(long.MaxValue, parsed.ClaimedId);
        Assert.Equal(token, parsed.Canonical.ToString());
    }

    [Fact]
    public void A_prefix_longer_than_32_characters_is_refused()
    {
        // A 32-character prefix is the longest: one more in front can be neither prefix nor token.
        var token = TokenFormat.Generate(new string('p', TokenFormat.MaxPrefixLength), "k1");

        Assert.False(TokenFormat.TryParse("p" + token, out _));
    }

    [Fact]
    public void Sanctum_form_parses_with_the_claimed_id_and_the_canonical_token_without_it()
    {
        var token = TokenFormat.Generate("lk_", "k1");

        Assert.True(TokenFormat.TryParse($"42|{token}", out var parsed));

        Assert.Equal(42, parsed.ClaimedId);
        Assert.Equal(token, parsed.Canonical.ToString());
        Assert.Equal("k1", parsed.KeyId.ToString());
    }

    [Theory]
    [InlineData("0|")]
    [InlineData("abc|")]
    [InlineData("|")]
    [InlineData("-1|")]
    [InlineData("+1|")]
    [InlineData(" 1|")]
    [InlineData("1 |")]
    [InlineData("1.5|")]
    [InlineData("1|1|")]
    [InlineData("99999999999999999999|")]
    [InlineData("9223372036854775808|")]
    public void Sanctum_form_with_an_id_that_is_not_a_positive_integer_is_refused(string idPart)
    {
        var token = TokenFormat.Generate("lk_", "k1");

        Assert.False(TokenFormat.TryParse(idPart + token, out _));
    }

    [Fact]
    public void A_token_whose_body_holds_characters_outside_base62_is_refused()
    {
        var token = TokenFormat.Generate("lk_", "k1");

        Assert.False(TokenFormat.TryParse(token.Replace(token[10], '_'), out _));
        Assert.False(TokenFormat.TryParse(token.Replace(token[10], 'é'), out _));
    }

    [Theory]
    [InlineData("lk!")]
    [InlineData("has space")]
    [InlineData("a|b")]
    [InlineData("a.b")]
    [InlineData("ключ")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void An_invalid_prefix_is_refused_when_generating(string prefix)
    {
        Assert.False(TokenFormat.IsValidPrefix(prefix));
        Assert.Throws<ArgumentException>(() => TokenFormat.Generate(prefix, "k1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("k12")]
    [InlineData("k_")]
    [InlineData("k-")]
    public void A_key_id_that_is_not_two_base62_characters_is_refused_when_generating(string keyId)
    {
        Assert.False(TokenFormat.IsValidKeyId(keyId));
        Assert.Throws<ArgumentException>(() => TokenFormat.Generate("lk_", keyId));
    }

    [Fact]
    public void A_token_with_a_typo_still_has_a_tokens_shape_and_a_password_does_not()
    {
        var token = TokenFormat.Generate("lk_", "k1");
        var typo = token[..^1] + (token[^1] == 'a' ? 'b' : 'a');

        Assert.True(TokenFormat.HasTokenShape(token));
        Assert.True(TokenFormat.HasTokenShape(typo));
        Assert.False(TokenFormat.TryParse(typo, out _));
        Assert.True(TokenFormat.HasTokenShape("12|" + token));
        Assert.False(TokenFormat.HasTokenShape("another-long-passphrase"));
        Assert.False(TokenFormat.HasTokenShape("correct horse battery staple and then some more words"));
        Assert.False(TokenFormat.HasTokenShape(token[..^1] + "!"));
    }
}

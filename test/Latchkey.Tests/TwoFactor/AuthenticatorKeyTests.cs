using System.Text;
using Latchkey.Users;

namespace Latchkey.Tests.TwoFactor;

public sealed class AuthenticatorKeyTests
{
    // RFC 6238 appendix B, SHA-1 rows: the ASCII secret "12345678901234567890" and the 8-digit codes.
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Codes_are_the_rfc_6238_test_vectors(long unixSeconds, string eightDigits)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        Assert.Equal(eightDigits, AuthenticatorKey.Compute(RfcSecret, at, 8));

        // Apps show six digits: the same truncation, modulo 10^6, which is the last six of the eight.
        Assert.Equal(eightDigits[2..], AuthenticatorKey.Compute(RfcSecret, at));
    }

    [Theory]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void A_vector_code_is_accepted_in_its_step_and_one_step_either_side_but_not_two(long unixSeconds, string code)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        var step = AuthenticatorKey.Step(at);
        DateTimeOffset StepStart(long s) => DateTimeOffset.FromUnixTimeSeconds(s * 30);

        Assert.True(AuthenticatorKey.TryVerify(RfcSecret, code, at, null, out var matched));
        Assert.Equal(step, matched);
        Assert.True(AuthenticatorKey.TryVerify(RfcSecret, code, StepStart(step + 2).AddSeconds(-1), null, out _));
        Assert.True(AuthenticatorKey.TryVerify(RfcSecret, code, StepStart(step - 1), null, out _));
        Assert.False(AuthenticatorKey.TryVerify(RfcSecret, code, StepStart(step + 2), null, out _));
        Assert.False(AuthenticatorKey.TryVerify(RfcSecret, code, StepStart(step - 1).AddSeconds(-1), null, out _));
    }

    [Fact]
    public void A_code_at_or_before_the_last_accepted_step_is_refused()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1111111109);
        var step = AuthenticatorKey.Step(at);

        Assert.False(AuthenticatorKey.TryVerify(RfcSecret, "081804", at, step, out _));
        Assert.False(AuthenticatorKey.TryVerify(RfcSecret, "081804", at, step + 1, out _));
        Assert.True(AuthenticatorKey.TryVerify(RfcSecret, "081804", at, step - 1, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("28708")]
    [InlineData("2870822")]
    [InlineData("28708a")]
    [InlineData("２８７０８２")]
    public void Anything_but_six_ascii_digits_is_not_a_code(string code)
        => Assert.False(AuthenticatorKey.TryVerify(RfcSecret, code, DateTimeOffset.FromUnixTimeSeconds(59), null, out _));

    [Fact]
    public void The_key_is_twenty_random_bytes_shown_as_base32_in_groups_of_four_and_as_an_otpauth_uri()
    {
        var secret = AuthenticatorKey.NewSecret();
        var base32 = AuthenticatorKey.Base32(secret);

        Assert.Equal(20, secret.Length);
        Assert.NotEqual(secret, AuthenticatorKey.NewSecret());
        Assert.Matches("^[A-Z2-7]{32}$", base32);
        Assert.Equal(string.Join(' ', base32.Chunk(4).Select(chunk => new string(chunk))), AuthenticatorKey.Grouped(base32));
        Assert.Equal($"otpauth://totp/Latchkey:grace.hopper?secret={base32}&issuer=Latchkey", AuthenticatorKey.OtpAuthUri("grace.hopper", secret));
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", AuthenticatorKey.Base32(RfcSecret));
    }
}

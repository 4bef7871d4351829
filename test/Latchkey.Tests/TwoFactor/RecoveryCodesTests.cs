using Latchkey.Users;

namespace Latchkey.Tests.TwoFactor;

public sealed class RecoveryCodesTests
{
    [Fact]
    public void Ten_distinct_codes_of_fifty_bits_written_in_two_groups_of_five()
    {
        var codes = RecoveryCodes.Generate();

        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$", code));
    }

    [Theory]
    [InlineData("abcde-fghjk", "abcdefghjk")]
    [InlineData("ABCDE FGHJK", "abcdefghjk")]
    [InlineData(" abcdefghjk ", "abcdefghjk")]
    [InlineData("0o1il-22222", "00111222 22")]
    public void Case_dashes_spaces_and_look_alike_letters_do_not_matter(string typed, string expected)
        => Assert.Equal(expected.Replace(" ", string.Empty, StringComparison.Ordinal), RecoveryCodes.Normalize(typed));

    [Theory]
    [InlineData("abcde-fghj")]
    [InlineData("abcde-fghjkm")]
    [InlineData("abcde-fghj!")]
    [InlineData("abcde-fghjú")]
    public void What_cannot_be_a_code_normalizes_to_nothing(string typed) => Assert.Null(RecoveryCodes.Normalize(typed));
}

namespace Latchkey.Tokens;

/// <summary>A credential whose shape and checksum are right. It may still be unknown, expired or revoked.</summary>
public readonly struct ParsedToken
{
    private readonly string _presented;
    private readonly int _start;

    internal ParsedToken(string presented, int start, long? claimedId)
    {
        _presented = presented;
        _start = start;
        ClaimedId = claimedId;
    }

    /// <summary>The token without a Sanctum-style <c>{id}|</c> in front: what is hashed.</summary>
    public ReadOnlySpan<char> Canonical => _presented.AsSpan(_start);

    /// <summary>The id given in front of a Sanctum-style <c>{id}|{token}</c>, if any.</summary>
    public long? ClaimedId { get; }

    public ReadOnlySpan<char> KeyId => Canonical.Slice(Canonical.Length - TokenFormat.ChecksumLength - TokenFormat.KeyIdLength, TokenFormat.KeyIdLength);
}

namespace Latchkey.Tokens;

/// <summary>
/// This node's hashing keys do not match the database's: a key that stored tokens need is missing, or a key id
/// stands for a different key than the one first used under it. The message is one line naming the key id and
/// what to copy to this node.
/// </summary>
public sealed class HashingKeyMismatchException : InvalidOperationException
{
    public HashingKeyMismatchException(string keyId, string message)
        : base(message)
    {
        KeyId = keyId;
    }

    /// <summary>The key id at fault.</summary>
    public string KeyId { get; }
}

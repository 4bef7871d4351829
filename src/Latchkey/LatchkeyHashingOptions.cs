namespace Latchkey;

/// <summary>
/// Where the token hashing keys come from, bound from <c>Latchkey:Hashing</c>. Keys live outside the database:
/// either in configuration (<see cref="Keys"/>: id → Base64, at least 32 bytes) or in <see cref="KeyFile"/>,
/// which is created with one random key on first start. Several nodes must share the same keys.
/// </summary>
public sealed class LatchkeyHashingOptions
{
    public const string SectionName = "Latchkey:Hashing";

    /// <summary>The key new tokens are hashed with; defaults to the only key, or the file's current key.</summary>
    public string? CurrentKeyId { get; set; }

    public IDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A JSON key file to read, or to create when it does not exist and no keys are configured.</summary>
    public string? KeyFile { get; set; }
}

namespace Latchkey.Stores;

/// <summary>A hashing key as the store knows it: its id, its check value (<see cref="Tokens.TokenHasher.KeyCheckValue"/>) and its first use.</summary>
public sealed record RecordedHashingKey(string KeyId, string CheckValue, DateTimeOffset FirstUsedAt);

using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>A stored recovery code: its keyed hash, the hashing key's id, and when it was used (once).</summary>
public sealed record RecoveryCode(long Id, string KeyId, TokenHash Hash, DateTimeOffset? UsedAt);

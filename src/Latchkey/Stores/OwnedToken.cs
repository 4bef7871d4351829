using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>A token with the parts of its owner an administrator's list shows (username, rights, blocked or not).</summary>
public sealed record OwnedToken(PersonalAccessToken Token, TokenOwner Owner);

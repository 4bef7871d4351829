namespace Latchkey.Tokens;

/// <summary>What the store returns for a hash lookup: the token, its hash, and what the validator needs of its owner.</summary>
public sealed record StoredToken(PersonalAccessToken Token, TokenHash Hash, TokenOwner Owner);

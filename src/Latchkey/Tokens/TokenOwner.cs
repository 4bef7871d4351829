namespace Latchkey.Tokens;

/// <summary>The parts of a user the per-request check needs, loaded with the token in one query.</summary>
public sealed record TokenOwner(long Id, string Username, bool IsAdmin, bool IsActive);

using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>What an update did: the token as changed, or which constraint stopped it; neither when there is no such token.</summary>
public sealed record UpdateOutcome(PersonalAccessToken? Token, UpdateRefusal Refusal = UpdateRefusal.None)
{
    /// <summary>The tokens derived from this one whose expiry was brought forward to its new one, so they do not outlive it.</summary>
    public IReadOnlyList<long> CappedIds { get; init; } = [];

    public static readonly UpdateOutcome NotFound = new(Token: null);

    public static UpdateOutcome Refused(UpdateRefusal refusal) => new(null, refusal);
}

using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>What an update did: the token as changed, or which constraint stopped it; neither when there is no such token.</summary>
public sealed record UpdateOutcome(PersonalAccessToken? Token, UpdateRefusal Refusal = UpdateRefusal.None)
{
    /// <summary>
    /// The tokens derived from this one that the update brought in line with it: an expiry brought forward (so they
    /// do not outlive it) or scopes narrowed (so they grant no more than it). Their cached entries are stale.
    /// </summary>
    public IReadOnlyList<long> CappedIds { get; init; } = [];

    public static readonly UpdateOutcome NotFound = new(Token: null);

    public static UpdateOutcome Refused(UpdateRefusal refusal) => new(null, refusal);
}

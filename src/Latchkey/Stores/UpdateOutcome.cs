using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>What an update did: the token as changed, or which constraint stopped it; neither when there is no such token.</summary>
public sealed record UpdateOutcome(PersonalAccessToken? Token, UpdateRefusal Refusal = UpdateRefusal.None)
{
    public static readonly UpdateOutcome NotFound = new(Token: null);

    public static UpdateOutcome Refused(UpdateRefusal refusal) => new(null, refusal);
}

using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>What an insert did: the token, or which constraint stopped it.</summary>
public sealed record InsertOutcome(PersonalAccessToken? Token, InsertRefusal Refusal = InsertRefusal.None)
{
    public static InsertOutcome Refused(InsertRefusal refusal) => new(null, refusal);
}

using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>What a rotation did: the new token and the ids revoked with the old one, or that it lost a race.</summary>
public sealed record RotateOutcome(PersonalAccessToken? Replacement, IReadOnlyList<long> RevokedIds)
{
    public static readonly RotateOutcome LostRace = new(null, []);
}

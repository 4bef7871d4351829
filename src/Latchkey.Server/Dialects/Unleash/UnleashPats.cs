namespace Latchkey.Server.Dialects.Unleash;

/// <summary>Unleash's <c>patsSchema</c>: the current user's PATs.</summary>
internal sealed record UnleashPats(IReadOnlyList<UnleashPat> Pats);

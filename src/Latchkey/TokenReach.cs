namespace Latchkey;

/// <summary>Whose tokens an actor reaches.</summary>
public enum TokenReach
{
    /// <summary>An administrator reaches every user's tokens; anyone else only their own.</summary>
    All,

    /// <summary>
    /// Only the actor's own tokens, administrator or not: for APIs that manage "my tokens" (Sanctum's account API,
    /// Unleash's PATs). Another user's token answers <see cref="TokenErrorCode.NotFound"/>, as an unknown one does.
    /// </summary>
    Own,
}

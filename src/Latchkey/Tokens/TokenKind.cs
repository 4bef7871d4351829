namespace Latchkey.Tokens;

/// <summary>What a stored token is for. All kinds are validated the same way.</summary>
public enum TokenKind
{
    /// <summary>A personal access token a user made and named.</summary>
    Personal = 0,

    /// <summary>A sign-in session: all of the user's rights, short-lived, never listed as a PAT.</summary>
    Session = 1,

    /// <summary>A short-lived access token exchanged for a PAT (OAuth client credentials); dies with its parent.</summary>
    AccessToken = 2,
}

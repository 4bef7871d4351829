using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Server.Api;

/// <summary>A token as administrators see it across users: the token, and whose it is (their username and state).</summary>
internal sealed record AdminTokenResponse : TokenResponse
{
    private AdminTokenResponse(TokenResponse token, string kind, string username, string userState)
        : base(token)
    {
        Kind = kind;
        Username = username;
        UserState = userState;
    }

    /// <summary><c>personal</c>, <c>session</c> or <c>access_token</c>: a leaked value may be any of them.</summary>
    public string Kind { get; }

    /// <summary>The owner's username.</summary>
    public string Username { get; }

    /// <summary>The owner's state: <c>blocked</c> means none of their tokens authenticate, whatever <c>active</c> says.</summary>
    public string UserState { get; }

    public static AdminTokenResponse From(OwnedToken owned, DateTimeOffset now) => new(
        From(owned.Token, now),
        owned.Token.Kind switch { TokenKind.Session => "session", TokenKind.AccessToken => "access_token", _ => "personal" },
        owned.Owner.Username,
        owned.Owner.IsActive ? UserStates.Active : UserStates.Blocked);
}

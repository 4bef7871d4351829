using Latchkey.Policy;
using Latchkey.Tokens;

namespace Latchkey;

/// <summary>
/// Who asks the manager to do something, with what rights, from where — and which tokens they see: whose
/// (<see cref="ReachesEveryone"/>) and which kinds (the <see cref="View"/> of the API they came through). A token outside
/// either answers <see cref="TokenErrorCode.NotFound"/> in every operation, so no API checks it by hand.
/// </summary>
public sealed record TokenActor(long UserId, bool IsAdmin, ScopeSet Granted, long? TokenId, string? IpAddress)
{
    public static TokenActor From(AuthenticatedToken token, string? ipAddress)
        => new(token.UserId, token.IsAdmin, token.Granted, token.TokenId, ipAddress);

    /// <summary>The server itself (bootstrap, maintenance): full rights, no credential.</summary>
    public static readonly TokenActor System = new(0, true, ScopeSet.Full, null, null);

    private bool _ownOnly;

    public TokenView View { get; init; } = TokenView.Any;

    /// <summary>Whether other users' tokens are within reach: an administrator, unless the API narrowed them to their own.</summary>
    public bool ReachesEveryone => IsAdmin && !_ownOnly;

    /// <summary>
    /// The same actor reaching only their own tokens, administrator or not: for APIs that manage "my tokens"
    /// (Sanctum's account API, Unleash's PATs). Another user's token is then not found, as an unknown one.
    /// </summary>
    public TokenActor OwnTokensOnly() => this with { _ownOnly = true };

    /// <summary>The same actor seeing only the tokens of <paramref name="view"/>.</summary>
    public TokenActor Seeing(TokenView view) => this with { View = view };

    /// <summary>Whether <paramref name="token"/> exists for this actor at all.</summary>
    public bool Sees(PersonalAccessToken token)
        => (ReachesEveryone || token.UserId == UserId) && View switch
        {
            TokenView.Personal => token.Kind == TokenKind.Personal,
            TokenView.PersonalUnrevoked => token.Kind == TokenKind.Personal && !token.IsRevoked,
            _ => true,
        };
}

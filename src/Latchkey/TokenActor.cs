using Latchkey.Policy;
using Latchkey.Tokens;

namespace Latchkey;

/// <summary>
/// Who asks the manager to do something, with what rights, from where — and which tokens they see: their
/// <see cref="Reach"/> (own or everyone's) and the <see cref="View"/> of the API they came through. A token outside
/// either answers <see cref="TokenErrorCode.NotFound"/> in every operation, so no API checks it by hand.
/// </summary>
public sealed record TokenActor(long UserId, bool IsAdmin, ScopeSet Granted, long? TokenId, string? IpAddress)
{
    public static TokenActor From(AuthenticatedToken token, string? ipAddress)
        => new(token.UserId, token.IsAdmin, token.Granted, token.TokenId, ipAddress);

    /// <summary>The server itself (bootstrap, maintenance): full rights, no credential.</summary>
    public static readonly TokenActor System = new(0, true, ScopeSet.Full, null, null);

    public TokenReach Reach { get; init; } = TokenReach.All;

    public TokenView View { get; init; } = TokenView.Any;

    /// <summary>Whether other users' tokens are within reach: an administrator whose reach is not narrowed.</summary>
    public bool ReachesEveryone => IsAdmin && Reach == TokenReach.All;

    /// <summary>The same actor reaching only their own tokens, administrator or not.</summary>
    public TokenActor OwnTokensOnly() => this with { Reach = TokenReach.Own };

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

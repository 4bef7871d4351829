using System.Security.Claims;

namespace Latchkey.AspNetCore;

/// <summary>
/// The identity of a request authenticated by Latchkey. It carries the validated token itself, so scope checks
/// need no claim parsing and no second lookup.
/// </summary>
public sealed class LatchkeyIdentity : ClaimsIdentity
{
    public LatchkeyIdentity(AuthenticatedToken token)
        : base(BuildClaims(token), LatchkeyDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role)
    {
        Token = token;
    }

    private LatchkeyIdentity(LatchkeyIdentity other)
        : base(other)
    {
        Token = other.Token;
    }

    public AuthenticatedToken Token { get; }

    public override ClaimsIdentity Clone() => new LatchkeyIdentity(this);

    private static IEnumerable<Claim> BuildClaims(AuthenticatedToken token)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, token.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new Claim(ClaimTypes.Name, token.Username);
        yield return new Claim(LatchkeyClaimTypes.TokenId, token.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new Claim(LatchkeyClaimTypes.TokenKind, token.Kind.ToString());
        foreach (var scope in token.Scopes)
        {
            yield return new Claim(LatchkeyClaimTypes.Scope, scope);
        }

        if (token.IsAdmin)
        {
            yield return new Claim(ClaimTypes.Role, LatchkeyClaimTypes.AdministratorRole);
        }
    }
}

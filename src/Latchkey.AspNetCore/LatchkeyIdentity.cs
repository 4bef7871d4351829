using System.Globalization;
using System.Security.Claims;

namespace Latchkey.AspNetCore;

/// <summary>
/// The identity of a request authenticated by Latchkey. It carries the validated token itself, so scope checks
/// need no claim parsing and no second lookup.
/// </summary>
/// <remarks>
/// Claims are built the first time anything reads them. Latchkey's own checks never do, so the per-request path
/// allocates none; code that only knows claims (<c>User.Identity.Name</c>, <c>IsInRole</c>, <c>FindFirst</c>) sees
/// them as usual, because every claim lookup in <see cref="ClaimsIdentity"/> goes through <see cref="Claims"/>.
/// </remarks>
public sealed class LatchkeyIdentity : ClaimsIdentity
{
    private bool _claimsAdded;

    /// <param name="token">The validated token.</param>
    /// <param name="authenticationType">The scheme that validated it (the name given to <c>AddLatchkey</c>).</param>
    public LatchkeyIdentity(AuthenticatedToken token, string authenticationType = LatchkeyDefaults.AuthenticationScheme)
        : base(authenticationType, ClaimTypes.Name, ClaimTypes.Role)
    {
        Token = token;
    }

    // The base copy constructor copies the claims list directly, so make sure the original has built it first.
    private LatchkeyIdentity(LatchkeyIdentity other)
        : base(WithClaims(other))
    {
        Token = other.Token;
        _claimsAdded = true;
    }

    public AuthenticatedToken Token { get; }

    public override IEnumerable<Claim> Claims
    {
        get
        {
            if (!_claimsAdded)
            {
                _claimsAdded = true;
                AddClaims(BuildClaims(Token));
            }

            return base.Claims;
        }
    }

    public override ClaimsIdentity Clone() => new LatchkeyIdentity(this);

    private static LatchkeyIdentity WithClaims(LatchkeyIdentity identity)
    {
        _ = identity.Claims;
        return identity;
    }

    private static IEnumerable<Claim> BuildClaims(AuthenticatedToken token)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, token.UserId.ToString(CultureInfo.InvariantCulture));
        yield return new Claim(ClaimTypes.Name, token.Username);
        yield return new Claim(LatchkeyClaimTypes.TokenId, token.TokenId.ToString(CultureInfo.InvariantCulture));
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

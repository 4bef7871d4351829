using System.Security.Claims;
using Latchkey.Policy;
using Latchkey.Tokens;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Tests;

public sealed class LatchkeyIdentityTests
{
    private static readonly ScopeCatalog Catalog = new(Options.Create(new ScopeCatalogOptions()));

    private static AuthenticatedToken Token(bool isAdmin) => new()
    {
        TokenId = 42,
        PublicId = "0123456789abcdef0123456789abcdef",
        Kind = TokenKind.Personal,
        Name = "ci",
        UserId = 7,
        Username = "alice",
        IsAdmin = isAdmin,
        Scopes = ["read_api", "k8s_proxy"],
        Granted = Catalog.Expand(["read_api", "k8s_proxy"]),
        Origin = TokenOrigins.Native,
    };

    [Fact]
    public void Code_that_only_knows_claims_sees_the_user_the_token_and_its_scopes()
    {
        var principal = new ClaimsPrincipal(new LatchkeyIdentity(Token(isAdmin: true)));

        Assert.Equal("alice", principal.Identity!.Name);
        Assert.True(principal.Identity.IsAuthenticated);
        Assert.Equal("7", principal.FindFirst(ClaimTypes.NameIdentifier)!.Value);
        Assert.Equal("42", principal.FindFirst(LatchkeyClaimTypes.TokenId)!.Value);
        Assert.Equal(["read_api", "k8s_proxy"], principal.FindAll(LatchkeyClaimTypes.Scope).Select(c => c.Value));
        Assert.True(principal.IsInRole(LatchkeyClaimTypes.AdministratorRole));
    }

    [Fact]
    public void A_non_administrator_is_not_in_the_administrator_role()
    {
        var principal = new ClaimsPrincipal(new LatchkeyIdentity(Token(isAdmin: false)));

        Assert.False(principal.IsInRole(LatchkeyClaimTypes.AdministratorRole));
    }

    [Fact]
    public void A_clone_made_before_any_claim_was_read_keeps_the_claims_and_the_token()
    {
        var identity = new LatchkeyIdentity(Token(isAdmin: false));

        var clone = Assert.IsType<LatchkeyIdentity>(identity.Clone());

        Assert.Same(identity.Token, clone.Token);
        Assert.Equal("alice", clone.Name);
        Assert.Equal(identity.Claims.Select(c => (c.Type, c.Value)), clone.Claims.Select(c => (c.Type, c.Value)));
        Assert.Equal(6, clone.Claims.Count());
    }
}

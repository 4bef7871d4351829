using Latchkey.Policy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// <c>POST /oauth/introspect</c> (RFC 7662): a resource server asks whether a token it was given is active, whose it
/// is and what it may do. The caller authenticates with its own Latchkey credential (Bearer, or the HTTP Basic
/// password as an OAuth client's secret) holding <c>introspect</c>, or is an administrator in admin mode. Checking a
/// token here is not a use of it: its last use stays as it was.
/// </summary>
internal static class IntrospectionEndpoint
{
    private const string TokenType = "Bearer";

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        TokenValidator validator,
        TokenManager manager,
        IOptions<LatchkeyOAuthOptions> options)
    {
        // Read the form before judging the caller's rights: a broken request is a 400 whoever sends it.
        var (token, invalid) = await OAuthForm.ReadTokenAsync(context.Request);
        if (token is null)
        {
            return invalid!;
        }

        var caller = context.GetLatchkeyToken()!;
        if (!caller.Granted.Grants(ScopeCatalog.Introspect) && !(caller.IsAdmin && caller.Granted.Grants(ScopeCatalog.AdminMode)))
        {
            // Through the scheme, so the 403 carries RFC 6750's insufficient_scope challenge naming the scope.
            var properties = new AuthenticationProperties();
            properties.Items[LatchkeyAuthorizationResultHandler.MissingScopeItem] = ScopeCatalog.Introspect;
            await context.ForbidAsync(context.User.Identity!.AuthenticationType, properties);
            return Results.Empty;
        }

        context.Response.SetNoStore();
        var result = await validator.ValidateAsync(token, TokenUse.NotAUse, context.RequestAborted);
        if (!result.Succeeded)
        {
            // Unknown, malformed, expired, revoked, rotated away, owner blocked: all the same, and nothing more.
            return OAuthResults.Ok(IntrospectionResponse.Inactive);
        }

        var validated = result.Token!;

        // Just validated, so its record is in the validated-token cache: no store read for the creation time.
        var record = await manager.GetCurrentAsync(validated, context.RequestAborted);
        if (!record.Succeeded)
        {
            return OAuthResults.Ok(IntrospectionResponse.Inactive);
        }

        return OAuthResults.Ok(new IntrospectionResponse
        {
            Active = true,
            Scope = string.Join(' ', validated.Scopes),
            ClientId = await ClientIdAsync(validated, manager, context.RequestAborted),
            Username = validated.Username,
            TokenType = TokenType,
            ExpiresAt = validated.ExpiresAt?.ToUnixTimeSeconds(),
            IssuedAt = record.Value.CreatedAt.ToUnixTimeSeconds(),
            Subject = validated.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Issuer = OAuthIssuer.For(context.Request, options.Value),
            TokenIdentifier = validated.PublicId,
            TokenId = validated.TokenId,
        });
    }

    // The OAuth client behind the token: /oauth/token's client_id is a PAT's public id, so an access token it issued
    // names its parent's; any other token stands for itself.
    private static async Task<string> ClientIdAsync(AuthenticatedToken token, TokenManager manager, CancellationToken cancellationToken)
    {
        if (token.ParentId is not { } parentId)
        {
            return token.PublicId;
        }

        var parent = await manager.GetAsync(TokenActor.System, parentId, cancellationToken);
        return parent.Succeeded ? parent.Value.PublicId : token.PublicId;
    }
}

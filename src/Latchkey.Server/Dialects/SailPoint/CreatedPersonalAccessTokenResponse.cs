using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>SailPoint's <c>CreatePersonalAccessTokenResponse</c>: the only answer that carries the secret.</summary>
internal sealed record CreatedPersonalAccessTokenResponse(
    string Id,
    string Secret,
    IReadOnlyList<string> Scope,
    string Name,
    PatOwner Owner,
    DateTimeOffset Created,
    int AccessTokenValiditySeconds,
    DateTimeOffset? ExpirationDate,
    bool UserAwareTokenNeverExpires)
{
    public static CreatedPersonalAccessTokenResponse From(IssuedToken issued, PatOwner owner)
    {
        var token = issued.Token;
        return new(
            token.PublicId,
            issued.Secret,
            SailPointScopes.ToWire(token.Scopes),
            token.Name,
            owner,
            token.CreatedAt,
            SailPointTokenAttributes.ValiditySeconds(token),
            token.ExpiresAt,
            SailPointTokenAttributes.NeverExpiresAcknowledged(token));
    }

    // Keep the secret out of anything that prints a record.
    public override string ToString() => $"CreatedPersonalAccessTokenResponse {{ Id = {Id} }}";
}

using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>SailPoint's <c>GetPersonalAccessTokenResponse</c>: a token as lists and PATCH show it, never its secret.</summary>
internal sealed record PersonalAccessTokenResponse(
    string Id,
    string Name,
    IReadOnlyList<string> Scope,
    PatOwner Owner,
    DateTimeOffset Created,
    DateTimeOffset? LastUsed,
    bool Managed,
    int AccessTokenValiditySeconds,
    DateTimeOffset? ExpirationDate,
    bool UserAwareTokenNeverExpires)
{
    public static PersonalAccessTokenResponse From(PersonalAccessToken token, PatOwner owner)
        => new(
            token.PublicId,
            token.Name,
            SailPointScopes.ToWire(token.Scopes),
            owner,
            token.CreatedAt,
            token.LastUsedAt,
            Managed: false,
            SailPointTokenAttributes.ValiditySeconds(token),
            token.ExpiresAt,
            SailPointTokenAttributes.NeverExpiresAcknowledged(token));
}

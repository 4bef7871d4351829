using Latchkey.Tokens;

namespace Latchkey.Server.Api;

/// <summary>The answer to create and rotate: the token and, this once, its secret.</summary>
internal sealed record IssuedTokenResponse(
    long Id,
    string Name,
    string? Description,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    IReadOnlyList<string> LastUsedIps,
    bool Revoked,
    bool Active,
    long UserId,
    string Token)
{
    public static IssuedTokenResponse From(IssuedToken issued, DateTimeOffset now)
    {
        var t = TokenResponse.From(issued.Token, now);
        return new(t.Id, t.Name, t.Description, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.LastUsedIps, t.Revoked, t.Active, t.UserId, issued.Secret);
    }

    public override string ToString() => $"IssuedTokenResponse {{ Id = {Id} }}";
}

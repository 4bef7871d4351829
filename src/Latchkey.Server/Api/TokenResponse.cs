using Latchkey.Tokens;

namespace Latchkey.Server.Api;

/// <summary>A token as the native API shows it: never a secret, never a hash.</summary>
internal record TokenResponse(
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
    long UserId)
{
    public static TokenResponse From(PersonalAccessToken token, DateTimeOffset now) => new(
        token.Id,
        token.Name,
        token.Description,
        token.Scopes,
        token.CreatedAt,
        token.ExpiresAt,
        token.LastUsedAt,
        token.LastUsedIps,
        token.IsRevoked,
        token.IsActiveAt(now),
        token.UserId);
}

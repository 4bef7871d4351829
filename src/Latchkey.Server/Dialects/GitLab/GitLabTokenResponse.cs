using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>GitLab's personal access token entity (with <c>last_used_ips</c>), in GitLab's field order. Never a secret.</summary>
internal record GitLabTokenResponse(
    long Id,
    string Name,
    bool Revoked,
    DateTimeOffset CreatedAt,
    string? Description,
    IReadOnlyList<string> Scopes,
    long UserId,
    DateTimeOffset? LastUsedAt,
    bool Active,
    string? ExpiresAt,
    IReadOnlyList<string> LastUsedIps)
{
    public static GitLabTokenResponse From(PersonalAccessToken token, DateTimeOffset now) => new(
        token.Id,
        token.Name,
        token.IsRevoked,
        token.CreatedAt,
        token.Description,
        token.Scopes,
        token.UserId,
        token.LastUsedAt,
        token.IsActiveAt(now),
        GitLabDates.ExpiresAt(token.ExpiresAt),
        token.LastUsedIps);
}

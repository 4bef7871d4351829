using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>GitLab's <c>PersonalAccessTokenWithToken</c>: the entity and, this once, the secret (admin create, rotate).</summary>
internal sealed record GitLabIssuedTokenResponse(
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
    IReadOnlyList<string> LastUsedIps,
    string Token)
{
    public static GitLabIssuedTokenResponse From(IssuedToken issued, DateTimeOffset now)
    {
        var t = GitLabTokenResponse.From(issued.Token, now);
        return new(t.Id, t.Name, t.Revoked, t.CreatedAt, t.Description, t.Scopes, t.UserId, t.LastUsedAt, t.Active, t.ExpiresAt, t.LastUsedIps, issued.Secret);
    }

    // Keep the secret out of anything that prints the record.
    public override string ToString() => $"GitLabIssuedTokenResponse {{ Id = {Id} }}";
}

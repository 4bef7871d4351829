using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>The answer to <c>POST /user/personal_access_tokens</c>: exactly the fields of GitLab's documented example.</summary>
internal sealed record GitLabSelfIssuedTokenResponse(
    long Id,
    string Name,
    bool Revoked,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Scopes,
    long UserId,
    bool Active,
    string? ExpiresAt,
    string Token)
{
    public static GitLabSelfIssuedTokenResponse From(IssuedToken issued, DateTimeOffset now)
    {
        var t = issued.Token;
        return new(t.Id, t.Name, t.IsRevoked, t.CreatedAt, t.Scopes, t.UserId, t.IsActiveAt(now), GitLabDates.ExpiresAt(t.ExpiresAt), issued.Secret);
    }

    public override string ToString() => $"GitLabSelfIssuedTokenResponse {{ Id = {Id} }}";
}

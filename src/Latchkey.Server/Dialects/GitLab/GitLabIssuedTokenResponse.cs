using System.Text.Json.Serialization;
using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>GitLab's <c>PersonalAccessTokenWithToken</c>: the entity and, this once, the secret (admin create, rotate).</summary>
internal sealed record GitLabIssuedTokenResponse : GitLabTokenResponse
{
    private GitLabIssuedTokenResponse(GitLabTokenResponse token, string secret)
        : base(token)
    {
        Token = secret;
    }

    [JsonPropertyOrder(1)]
    public string Token { get; }

    public static GitLabIssuedTokenResponse From(IssuedToken issued, DateTimeOffset now) => new(From(issued.Token, now), issued.Secret);

    // Keep the secret out of anything that prints the record.
    public override string ToString() => $"GitLabIssuedTokenResponse {{ Id = {Id} }}";
}

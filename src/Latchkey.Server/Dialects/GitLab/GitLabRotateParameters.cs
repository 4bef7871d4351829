namespace Latchkey.Server.Dialects.GitLab;

/// <summary>The optional parameter of GitLab's rotate endpoints, for the OpenAPI document.</summary>
internal sealed class GitLabRotateParameters
{
    /// <summary>The new token's expiry date; omitted: a week from now (or the shorter maximum lifetime).</summary>
    public DateOnly? ExpiresAt { get; init; }
}

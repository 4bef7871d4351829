namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// The names of the engine policies the GitLab dialect registers; each is also the origin recorded on the tokens
/// issued under it, so rotation keeps judging them by the same rules.
/// </summary>
internal static class GitLabPolicies
{
    /// <summary>Tokens an administrator creates for a user (<c>POST /users/:user_id/personal_access_tokens</c>).</summary>
    public const string Admin = "gitlab";

    /// <summary>Tokens users create for themselves (<c>POST /user/personal_access_tokens</c>): limited scopes, end-of-day expiry.</summary>
    public const string Self = "gitlab-self";

    /// <summary>GitLab's prefix, so GitLab-aware secret scanners recognise the tokens.</summary>
    public const string Prefix = "glpat-";

    /// <summary>GitLab rotates a token into one that lives a week unless told otherwise.</summary>
    public static readonly TimeSpan RotationLifetime = TimeSpan.FromDays(7);
}

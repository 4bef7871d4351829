namespace Latchkey.Server.Dialects.GitLab;

/// <summary>GitLab's personal access token scopes, and how GitLab names the scopes an endpoint accepts.</summary>
internal static class GitLabScopes
{
    public const string Api = "api";
    public const string ReadApi = "read_api";
    public const string ReadUser = "read_user";
    public const string SelfRotate = "self_rotate";
    public const string K8sProxy = "k8s_proxy";

    /// <summary>Every scope a GitLab client may ask for; the engine's <c>*</c> is not one of them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Api, ReadApi, ReadUser, "read_repository", "write_repository", "read_registry", "write_registry",
        K8sProxy, SelfRotate, "create_runner", "manage_runner", "ai_features", "sudo", "admin_mode",
    ];

    /// <summary>What users may give the tokens they create for themselves (GitLab 16.5+).</summary>
    public static readonly IReadOnlyList<string> SelfService = [K8sProxy, SelfRotate];

    /// <summary>
    /// The <c>scope</c> of an <c>insufficient_scope</c> answer: GitLab lists every scope the endpoint would have
    /// accepted, space-separated (a GET accepts <c>api read_api</c>), not just the one Latchkey checked.
    /// </summary>
    public static string Accepting(string? required) => required switch
    {
        ReadApi => "api read_api",
        ReadUser => "read_user api read_api",
        SelfRotate => "api self_rotate",
        null => Api,
        _ => required,
    };
}

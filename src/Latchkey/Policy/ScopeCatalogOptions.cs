namespace Latchkey.Policy;

/// <summary>
/// The scopes a deployment knows. Starts with GitLab's personal access token scopes; a host application adds its
/// own with <c>services.Configure&lt;ScopeCatalogOptions&gt;(o =&gt; o.Scopes.Add(...))</c>.
/// </summary>
public sealed class ScopeCatalogOptions
{
    public IList<ScopeDefinition> Scopes { get; } =
    [
        new(ScopeCatalog.FullAccess, "Full access: everything the owner may do (Sanctum's and Unleash's notion of a token).", AdminOnly: false),
        new("api", "Complete read/write access to the API, including repositories and registries.", ["read_api", "read_user", "write_repository", "write_registry", "create_runner", "manage_runner", "k8s_proxy", "ai_features", "self_rotate"]),
        new("read_api", "Read access to the API, including repositories and registries.", ["read_user", "read_repository", "read_registry"]),
        new("read_user", "Read-only access to the authenticated user's profile."),
        new("read_repository", "Read-only access to repositories (Git over HTTP pull)."),
        new("write_repository", "Read/write access to repositories (Git over HTTP push).", ["read_repository"]),
        new("read_registry", "Read access (pull) to container registry images."),
        new("write_registry", "Write access (push) to the container registry.", ["read_registry"]),
        new("k8s_proxy", "Kubernetes API calls through the agent for Kubernetes."),
        new("self_rotate", "Rotate this token itself."),
        new("create_runner", "Create runners."),
        new("manage_runner", "Manage runners."),
        new("ai_features", "AI features."),
        new("sudo", "Act as any user (administrators only).", AdminOnly: true),
        new("admin_mode", "Administrator actions when Admin Mode is on (administrators only).", AdminOnly: true),
        // Implied by nothing, not even api: it reads the metadata of tokens that are not the caller's own.
        new(ScopeCatalog.Introspect, "Introspect other tokens (RFC 7662): ask whether a token is active, whose it is and what it may do."),
    ];
}

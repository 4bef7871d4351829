using Latchkey.Policy;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// SailPoint's scope names on the engine's catalog. <c>sp:scopes:all</c> is the engine's full access (<c>*</c>) and
/// is translated at the wire; the others are registered in the catalog under their own names.
/// </summary>
internal static class SailPointScopes
{
    public const string All = "sp:scopes:all";
    public const string Default = "sp:scopes:default";
    public const string ManageMine = "sp:my-personal-access-tokens:manage";
    public const string ManageAll = "sp:all-personal-access-tokens:manage";

    /// <summary>What the dialect adds to the engine's catalog.</summary>
    public static readonly IReadOnlyList<ScopeDefinition> Definitions =
    [
        new(Default, "SailPoint's least privileged scope: the token authenticates and can be exchanged for an access token, but no scoped endpoint accepts it."),
        new(ManageMine, "SailPoint: create, list, change and delete one's own personal access tokens."),
        new(ManageAll, "SailPoint: list and manage every user's personal access tokens (has effect for administrators only).", [ManageMine]),
    ];

    /// <summary>Every scope a SailPoint request may name, in engine terms (the policy's allowed set).</summary>
    public static IEnumerable<string> AllowedEngineScopes => Definitions.Select(d => d.Name).Prepend(ScopeCatalog.FullAccess);

    public static string ToEngine(string scope) => scope == All ? ScopeCatalog.FullAccess : scope;

    public static string ToWire(string scope) => scope == ScopeCatalog.FullAccess ? All : scope;

    public static IReadOnlyList<string> ToWire(IEnumerable<string> scopes) => scopes.Select(ToWire).ToArray();
}

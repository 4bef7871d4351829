namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// What a matched rule asks, compiled once: its scopes, and its answers' <c>WWW-Authenticate</c> values built ahead,
/// so judging a request allocates none of them.
/// </summary>
internal sealed class ForwardAuthRequirement
{
    public ForwardAuthRequirement(string name, ForwardAuthPolicy policy, string realm, bool git = false)
    {
        Name = name;
        Scopes = [.. policy.Scopes.Distinct(StringComparer.Ordinal)];
        Anonymous = policy.Anonymous;
        Deny = policy.Deny;
        Git = git;
        Basic = string.Equals(policy.Challenge, ForwardAuthChallenges.Basic, StringComparison.OrdinalIgnoreCase);
        Challenge = Basic ? $"Basic realm=\"{realm}\"" : $"Bearer realm=\"{realm}\"";
        InvalidTokenChallenge = Basic ? Challenge : $"Bearer realm=\"{realm}\", error=\"invalid_token\"";
        InsufficientScopeChallenges = Scopes.ToDictionary(
            scope => scope,
            scope => $"Bearer realm=\"{realm}\", error=\"insufficient_scope\", scope=\"{scope}\"",
            StringComparer.Ordinal);
    }

    /// <summary>For logs: <c>git</c>, <c>rule 2</c> or <c>default</c>.</summary>
    public string Name { get; }

    public string[] Scopes { get; }

    public bool Anonymous { get; }

    public bool Deny { get; }

    /// <summary>One of the built-in Git rules: the only ones an account password may pass (<see cref="ForwardAuthGitOptions.AllowPasswords"/>).</summary>
    public bool Git { get; }

    public bool Basic { get; }

    /// <summary>For a request without a credential.</summary>
    public string Challenge { get; }

    /// <summary>For a refused credential.</summary>
    public string InvalidTokenChallenge { get; }

    public IReadOnlyDictionary<string, string> InsufficientScopeChallenges { get; }
}

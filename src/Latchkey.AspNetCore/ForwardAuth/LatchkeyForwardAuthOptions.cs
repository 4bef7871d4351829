namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// What <c>/auth/verify</c> asks of a request a reverse proxy forwards for judgement, bound from
/// <c>Latchkey:ForwardAuth</c> and validated at start-up. Evaluated in order: the built-in Git rules
/// (<see cref="Git"/>), then <see cref="Rules"/> (first match wins), then <see cref="Default"/>.
/// </summary>
public sealed class LatchkeyForwardAuthOptions
{
    public const string SectionName = "Latchkey:ForwardAuth";

    /// <summary>The realm named in <c>WWW-Authenticate</c>.</summary>
    public string Realm { get; set; } = "Latchkey";

    /// <summary>The built-in rules for Git over HTTP (the smart protocol's three paths; not the dumb protocol's objects), evaluated before <see cref="Rules"/>.</summary>
    public ForwardAuthGitOptions Git { get; set; } = new();

    /// <summary>Route rules, first match wins.</summary>
    public IList<ForwardAuthRule> Rules { get; } = [];

    /// <summary>Applied when no rule matches: by default any valid credential.</summary>
    public ForwardAuthPolicy Default { get; set; } = new();
}

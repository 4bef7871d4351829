using System.Collections.Frozen;

namespace Latchkey.Policy;

/// <summary>The scopes a credential effectively holds, implications already followed.</summary>
public sealed class ScopeSet
{
    public static readonly ScopeSet Full = new(null);

    private readonly FrozenSet<string>? _granted;

    internal ScopeSet(FrozenSet<string>? granted) => _granted = granted;

    public bool IsFullAccess => _granted is null;

    public bool Grants(string scope) => _granted is null || _granted.Contains(scope);

    /// <summary>True when every scope this other set grants is granted here too (the scope ceiling).</summary>
    public bool Covers(ScopeSet other) => _granted is null || (other._granted is not null && other._granted.IsSubsetOf(_granted));
}

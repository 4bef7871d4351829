using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace Latchkey.Policy;

/// <summary>The known scopes and what each one implies, resolved once at start-up.</summary>
public sealed class ScopeCatalog
{
    /// <summary>The scope that grants everything its owner may do.</summary>
    public const string FullAccess = "*";

    /// <summary>The scope a resource server needs to introspect tokens (RFC 7662); nothing in the default catalog implies it.</summary>
    public const string Introspect = "introspect";

    /// <summary>The scope an administrator's personal access token needs for administrator actions beyond reading (sessions grant it).</summary>
    public const string AdminMode = "admin_mode";

    // Enough for every combination a real deployment uses; beyond it, expansions are built and not remembered.
    private const int MaxRememberedExpansions = 1024;

    private readonly FrozenDictionary<string, ScopeDefinition> _definitions;
    private readonly FrozenDictionary<string, FrozenSet<string>> _closures;

    // Every validated token in the cache holds its expansion, and tokens share a handful of scope lists: one
    // ScopeSet per list instead of a frozen set built and kept per token (measured: a third of what a cache entry retains).
    private readonly ConcurrentDictionary<string, ScopeSet> _expansions = new(StringComparer.Ordinal);

    public ScopeCatalog(IOptions<ScopeCatalogOptions> options)
        : this(options.Value.Scopes)
    {
    }

    internal ScopeCatalog(IEnumerable<ScopeDefinition> scopes)
    {
        var definitions = new Dictionary<string, ScopeDefinition>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            definitions[scope.Name] = scope;
        }

        foreach (var scope in definitions.Values)
        {
            foreach (var implied in scope.Implies ?? [])
            {
                if (!definitions.ContainsKey(implied))
                {
                    throw new InvalidOperationException($"Scope '{scope.Name}' implies unknown scope '{implied}'.");
                }
            }
        }

        _definitions = definitions.ToFrozenDictionary(StringComparer.Ordinal);
        _closures = definitions.Keys.ToFrozenDictionary(name => name, name => Close(definitions, name), StringComparer.Ordinal);
    }

    public IEnumerable<ScopeDefinition> All => _definitions.Values.OrderBy(d => d.Name, StringComparer.Ordinal);

    public bool Contains(string scope) => _definitions.ContainsKey(scope);

    public bool IsAdminOnly(string scope) => _definitions.TryGetValue(scope, out var d) && d.AdminOnly;

    /// <summary>Everything a set of scopes grants, implications followed.</summary>
    public ScopeSet Expand(IEnumerable<string> scopes)
    {
        var key = string.Join('\n', scopes);
        if (_expansions.TryGetValue(key, out var remembered))
        {
            return remembered;
        }

        var expanded = Build(scopes);
        if (_expansions.Count < MaxRememberedExpansions)
        {
            _expansions.TryAdd(key, expanded);
        }

        return expanded;
    }

    private ScopeSet Build(IEnumerable<string> scopes)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            if (scope == FullAccess)
            {
                return ScopeSet.Full;
            }

            if (_closures.TryGetValue(scope, out var closure))
            {
                granted.UnionWith(closure);
            }
        }

        return new ScopeSet(granted.ToFrozenSet(StringComparer.Ordinal));
    }

    private static FrozenSet<string> Close(Dictionary<string, ScopeDefinition> definitions, string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out var name))
        {
            if (seen.Add(name))
            {
                foreach (var implied in definitions[name].Implies ?? [])
                {
                    pending.Push(implied);
                }
            }
        }

        return seen.ToFrozenSet(StringComparer.Ordinal);
    }
}

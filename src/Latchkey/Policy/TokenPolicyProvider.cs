using Microsoft.Extensions.Options;

namespace Latchkey.Policy;

/// <summary>
/// Hands out the token policy for a name: <see cref="Microsoft.Extensions.Options.Options.DefaultName"/> for the native API, the dialect's
/// name for a dialect. Named options are configured once at start-up and validated there.
/// </summary>
public sealed class TokenPolicyProvider
{
    private readonly IOptionsMonitor<TokenPolicyOptions> _options;
    private readonly ScopeCatalog _catalog;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TokenPolicy> _policies = new(StringComparer.Ordinal);

    public TokenPolicyProvider(IOptionsMonitor<TokenPolicyOptions> options, ScopeCatalog catalog, IOptions<TokenPolicyNamesOptions> names)
    {
        _options = options;
        _catalog = catalog;
        Names = [Tokens.TokenOrigins.Native, .. names.Value.Names.Distinct(StringComparer.Ordinal).Where(n => n != Tokens.TokenOrigins.Native)];
    }

    /// <summary>
    /// Every policy there is: <see cref="Tokens.TokenOrigins.Native"/> (the default) first, then each one registered
    /// with <c>AddLatchkeyTokenPolicy</c>, in order — what an administrator's read-only view of the policy lists.
    /// </summary>
    public IReadOnlyList<string> Names { get; }

    public TokenPolicy Default => Get(Options.DefaultName);

    /// <summary>The policy for an API; <see cref="Tokens.TokenOrigins.Native"/> (what requests default to) is the default policy.</summary>
    public TokenPolicy Get(string name)
    {
        // Requests and stored tokens name the native API "native", but the host binds its configuration to the
        // unnamed options: without this, native tokens were judged by an unconfigured policy.
        if (name == Tokens.TokenOrigins.Native)
        {
            name = Options.DefaultName;
        }

        return _policies.GetOrAdd(name, n => new TokenPolicy(n, _options.Get(n), _catalog));
    }
}

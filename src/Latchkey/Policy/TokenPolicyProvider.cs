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

    public TokenPolicyProvider(IOptionsMonitor<TokenPolicyOptions> options, ScopeCatalog catalog)
    {
        _options = options;
        _catalog = catalog;
    }

    public TokenPolicy Default => Get(Options.DefaultName);

    public TokenPolicy Get(string name) => _policies.GetOrAdd(name, n => new TokenPolicy(n, _options.Get(n), _catalog));
}

using System.Security.Cryptography;
using Latchkey.Policy;
using Latchkey.Tokens;
using Microsoft.Extensions.Options;

namespace Latchkey.Tests.Fakes;

/// <summary>
/// Wires the engine the way the host does — options through the options system, a named policy per dialect —
/// over in-memory stores and a manual clock.
/// </summary>
public sealed class EngineBuilder
{
    /// <summary>A whole-millisecond instant, so expected timestamps can be written without truncating.</summary>
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private readonly LatchkeyOptions _options = new();
    private readonly ScopeCatalogOptions _scopes = new();
    private readonly List<IConfigureOptions<TokenPolicyOptions>> _policies = [];
    private TokenKeyRing? _keys;

    public EngineBuilder Configure(Action<LatchkeyOptions> configure)
    {
        configure(_options);
        return this;
    }

    /// <summary>Configures the native API's policy (<see cref="Options.DefaultName"/>).</summary>
    public EngineBuilder ConfigurePolicy(Action<TokenPolicyOptions> configure) => ConfigurePolicy(Options.DefaultName, configure);

    /// <summary>Configures one dialect's policy, on top of what every policy gets.</summary>
    public EngineBuilder ConfigurePolicy(string name, Action<TokenPolicyOptions> configure)
    {
        _policies.Add(new ConfigureNamedOptions<TokenPolicyOptions>(name, configure));
        return this;
    }

    /// <summary>Configures every policy, as binding the shared section does.</summary>
    public EngineBuilder ConfigureAllPolicies(Action<TokenPolicyOptions> configure)
    {
        _policies.Insert(0, new ConfigureNamedOptions<TokenPolicyOptions>(null, configure));
        return this;
    }

    public EngineBuilder ConfigureScopes(Action<ScopeCatalogOptions> configure)
    {
        configure(_scopes);
        return this;
    }

    public EngineBuilder WithKeys(TokenKeyRing keys)
    {
        _keys = keys;
        return this;
    }

    public Engine Build()
    {
        var users = new InMemoryUserStore();
        var audit = new InMemoryAuditStore();
        var time = new ManualTimeProvider(Start);
        var monitor = new OptionsMonitor<TokenPolicyOptions>(
            new OptionsFactory<TokenPolicyOptions>(_policies, []),
            [],
            new OptionsCache<TokenPolicyOptions>());
        return new Engine(
            Options.Create(_options),
            monitor,
            new ScopeCatalog(Options.Create(_scopes)),
            _keys ?? NewKeyRing(),
            time,
            users,
            new InMemoryTokenStore(users, audit),
            audit);
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(TokenKeyRing.MinimumKeyBytes);

    public static TokenKeyRing NewKeyRing(string keyId = "k1") => new(keyId, new Dictionary<string, byte[]> { [keyId] = NewKey() });
}

using Latchkey.Changes;
using Latchkey.Hosting;
using Latchkey.Policy;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey;

/// <summary>
/// Registers the engine for any host: a web app, a CLI, a worker. Nothing here needs ASP.NET Core; a store
/// (e.g. <c>AddLatchkeySqliteStore</c>) is registered separately.
/// </summary>
public static class LatchkeyEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TokenManager"/>, <see cref="TokenValidator"/>, <see cref="UserManager"/>, the validated-token
    /// cache, the last-used recorder and the hashing-key ring, with their settings bound from <c>Latchkey</c>,
    /// <c>Latchkey:Tokens</c>, <c>Latchkey:Hashing</c>, <c>Latchkey:Passwords</c> and <c>Latchkey:TwoFactor</c> (then <paramref name="configure"/>) and validated at start-up: a host without a hashing
    /// key does not start, nor one whose keys do not fit the store's tokens (<see cref="HashingKeyCheck"/>, when the
    /// store implements <see cref="Stores.IHashingKeyStore"/>; migrate the store before starting the host). Under a generic host (<c>IHost</c>) two background jobs run: writing last-used records in
    /// batches and pruning tokens past their retention; without one, call <see cref="TokenUsageRecorder.FlushAsync"/> yourself.
    /// </summary>
    public static IServiceCollection AddLatchkeyEngine(this IServiceCollection services, Action<LatchkeyOptions>? configure = null)
    {
        services.TryAddSingleton(TimeProvider.System);

        var options = services.AddOptions<LatchkeyOptions>().BindConfiguration(LatchkeyOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<TokenPolicyOptions>().BindConfiguration(TokenPolicyOptions.SectionName).ValidateOnStart();
        services.AddOptions<LatchkeyHashingOptions>().BindConfiguration(LatchkeyHashingOptions.SectionName).ValidateOnStart();
        services.AddOptions<ScopeCatalogOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LatchkeyOptions>, LatchkeyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenPolicyOptions>, LatchkeyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LatchkeyHashingOptions>, LatchkeyOptionsValidator>());
        services.AddOptions<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasswordHashingOptions>, LatchkeyOptionsValidator>());
        services.AddOptions<PasswordHasherOptions>()
            .Configure<IOptions<PasswordHashingOptions>>((hasher, passwords) => hasher.IterationCount = passwords.Value.Iterations);

        services.TryAddSingleton<ScopeCatalog>();
        services.TryAddSingleton<TokenPolicyProvider>();
        services.TryAddSingleton(sp => TokenKeyRingFactory.Create(sp.GetRequiredService<IOptions<LatchkeyHashingOptions>>().Value));
        services.TryAddSingleton<TokenHasher>();
        services.TryAddSingleton<HashingKeyCheck>();
        // One node by default; a shared store's registration replaces it with a feed that reaches the other nodes.
        services.TryAddSingleton<ITokenChangeFeed, InProcessTokenChangeFeed>();
        services.TryAddSingleton<TokenCache>();
        services.TryAddSingleton<TokenUsageRecorder>();
        services.TryAddSingleton<TokenManager>();
        services.TryAddSingleton<TokenValidator>();
        services.TryAddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddOptions<TwoFactorOptions>().BindConfiguration(TwoFactorOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwoFactorOptions>, LatchkeyOptionsValidator>());
        // A host that enrols users in two-factor authentication registers a real protector (the server: Data Protection).
        services.TryAddSingleton<ISecretProtector, UnavailableSecretProtector>();
        services.TryAddSingleton<TwoFactorManager>();
        services.TryAddSingleton<UserManager>();

        // TryAddEnumerable: calling AddLatchkeyEngine twice (say, once through AddLatchkey) runs each job once.
        // The hashing key check first: a node whose keys do not fit the database starts nothing else.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, HashingKeyCheckService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, TokenUsageFlushService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, TokenMaintenanceService>());
        return services;
    }

    /// <summary>
    /// Adds a named token policy (one per API dialect): it starts from <c>Latchkey:Tokens</c>, applies
    /// <paramref name="defaults"/>, then <c>Latchkey:Dialects:{name}:Tokens</c> so operators can override it.
    /// </summary>
    public static IServiceCollection AddLatchkeyTokenPolicy(this IServiceCollection services, string name, Action<TokenPolicyOptions> defaults)
    {
        services.AddOptions<TokenPolicyOptions>(name)
            .BindConfiguration(TokenPolicyOptions.SectionName)
            .Configure(defaults)
            .BindConfiguration($"Latchkey:Dialects:{name}:Tokens")
            .ValidateOnStart();
        services.Configure<TokenPolicyNamesOptions>(names => names.Names.Add(name));
        return services;
    }
}

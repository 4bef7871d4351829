using Latchkey.Changes;
using Latchkey.Policy;
using Latchkey.Tokens;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>Registers Latchkey in an ASP.NET Core application. A store (e.g. <c>AddLatchkeySqliteStore</c>) is registered separately.</summary>
public static class LatchkeyServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine, its options (from <c>Latchkey</c>, validated at start-up), the authentication scheme
    /// <see cref="LatchkeyDefaults.AuthenticationScheme"/>, scope policies, and the background jobs that write
    /// last-used records and prune old tokens.
    /// </summary>
    public static IServiceCollection AddLatchkey(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<LatchkeyOptions>().BindConfiguration(LatchkeyOptions.SectionName).ValidateOnStart();
        services.AddOptions<TokenPolicyOptions>().BindConfiguration(TokenPolicyOptions.SectionName).ValidateOnStart();
        services.AddOptions<LatchkeyHashingOptions>().BindConfiguration(LatchkeyHashingOptions.SectionName).ValidateOnStart();
        services.AddOptions<ScopeCatalogOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LatchkeyOptions>, LatchkeyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenPolicyOptions>, LatchkeyOptionsValidator>());

        services.TryAddSingleton<ScopeCatalog>();
        services.TryAddSingleton<TokenPolicyProvider>();
        services.TryAddSingleton(sp => TokenKeyRingFactory.Create(sp.GetRequiredService<IOptions<LatchkeyHashingOptions>>().Value));
        services.TryAddSingleton<TokenHasher>();
        // One node by default; a shared store's registration replaces it with a feed that reaches the other nodes.
        services.TryAddSingleton<ITokenChangeFeed, InProcessTokenChangeFeed>();
        services.TryAddSingleton<TokenCache>();
        services.TryAddSingleton<TokenUsageRecorder>();
        services.TryAddSingleton<TokenManager>();
        services.TryAddSingleton<TokenValidator>();
        services.AddOptions<LatchkeyFailureLimitOptions>().BindConfiguration(LatchkeyFailureLimitOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LatchkeyFailureLimitOptions>, LatchkeyOptionsValidator>());
        services.TryAddSingleton<LatchkeyFailureLimiter>();
        services.AddHostedService<TokenUsageFlushService>();
        services.AddHostedService<TokenMaintenanceService>();

        services.AddAuthentication(LatchkeyDefaults.AuthenticationScheme)
            .AddScheme<LatchkeyAuthenticationOptions, LatchkeyAuthenticationHandler>(LatchkeyDefaults.AuthenticationScheme, null);
        services.AddOptions<LatchkeyAuthenticationOptions>(LatchkeyDefaults.AuthenticationScheme).BindConfiguration("Latchkey:Authentication").ValidateOnStart();
        services.AddAuthorizationBuilder()
            .AddPolicy(LatchkeyDefaults.AuthenticatedPolicy, LatchkeyPolicies.Authenticated)
            .AddPolicy(LatchkeyDefaults.AdministratorPolicy, LatchkeyPolicies.Administrator);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, LatchkeyAuthorizationResultHandler>();
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
        return services;
    }

    /// <summary>
    /// Request logging that redacts credentials, and silences the framework's own request-start log lines,
    /// which print full URLs (query strings and thus <c>?private_token=</c> included).
    /// </summary>
    public static IServiceCollection AddLatchkeyRequestLogging(this IServiceCollection services)
    {
        services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        services.AddHttpLoggingInterceptor<SecretRedactingHttpLoggingInterceptor>();
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        return services;
    }
}

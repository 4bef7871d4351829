using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>Registers what the OAuth endpoints (<c>MapLatchkeyOAuth()</c> and its parts) need.</summary>
public static class LatchkeyOAuthServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="LatchkeyOAuthOptions"/> from <c>Latchkey:OAuth</c>, then <paramref name="configure"/>, checked
    /// at start-up; and the per-address limit of revocation requests. Needs Latchkey itself (<c>AddLatchkey</c>).
    /// </summary>
    public static IServiceCollection AddLatchkeyOAuth(this IServiceCollection services, Action<LatchkeyOAuthOptions>? configure = null)
    {
        var options = services.AddOptions<LatchkeyOAuthOptions>().BindConfiguration(LatchkeyOAuthOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LatchkeyOAuthOptions>, LatchkeyOAuthOptionsValidator>());
        services.TryAddSingleton<RevocationLimiter>();
        return services;
    }
}

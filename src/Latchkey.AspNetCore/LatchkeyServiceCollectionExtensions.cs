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
    /// The whole of Latchkey as its own server uses it: <c>AddLatchkeyEngine()</c>, then
    /// <c>AddAuthentication("Latchkey").AddLatchkey()</c> — the scheme <see cref="LatchkeyDefaults.AuthenticationScheme"/>,
    /// made the default. A host with schemes of its own calls the two itself and chooses the name and the default.
    /// </summary>
    public static IServiceCollection AddLatchkey(this IServiceCollection services)
    {
        services.AddLatchkeyEngine();
        services.AddAuthentication(LatchkeyDefaults.AuthenticationScheme).AddLatchkey();
        return services;
    }

    /// <summary>
    /// Request logging that redacts credentials, and silences the framework's own request-start log lines,
    /// which print full URLs (query strings and thus <c>?private_token=</c> included). It only registers
    /// <c>AddHttpLogging</c> and its interceptor: the host must also call <c>app.UseHttpLogging()</c>, early in the
    /// pipeline (before <c>UseExceptionHandler</c>, so a failed request is logged with the status the client got),
    /// and let <c>Microsoft.AspNetCore.HttpLogging</c> log at Information.
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

    /// <summary>
    /// The limit on failed password checks (<see cref="SignInThrottle"/>), bound from <c>Latchkey:SignIn</c> and
    /// validated at start-up. One per application, whoever checks passwords: calling it again changes nothing.
    /// </summary>
    public static IServiceCollection AddLatchkeySignInThrottle(this IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(SignInThrottle)))
        {
            return services;
        }

        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>());
        services.AddSingleton<SignInThrottle>();
        return services;
    }
}

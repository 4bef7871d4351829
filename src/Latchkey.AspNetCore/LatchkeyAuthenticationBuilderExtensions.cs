using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>Adds the Latchkey scheme to <c>services.AddAuthentication()</c>, like <c>AddJwtBearer</c> or <c>AddCookie</c>.</summary>
public static class LatchkeyAuthenticationBuilderExtensions
{
    /// <inheritdoc cref="AddLatchkey(AuthenticationBuilder, string, Action{LatchkeyAuthenticationOptions}?)"/>
    public static AuthenticationBuilder AddLatchkey(this AuthenticationBuilder builder)
        => builder.AddLatchkey(LatchkeyDefaults.AuthenticationScheme, null);

    /// <inheritdoc cref="AddLatchkey(AuthenticationBuilder, string, Action{LatchkeyAuthenticationOptions}?)"/>
    public static AuthenticationBuilder AddLatchkey(this AuthenticationBuilder builder, Action<LatchkeyAuthenticationOptions>? configure)
        => builder.AddLatchkey(LatchkeyDefaults.AuthenticationScheme, configure);

    /// <summary>
    /// Adds the Latchkey scheme as <paramref name="scheme"/>, with options bound from <c>Latchkey:Authentication</c>
    /// then <paramref name="configure"/>; the policies behind <c>RequireScope</c>, <c>RequireLatchkey</c> and
    /// <c>RequireAdministrator</c> authenticate with it (the scheme of the first call, if called twice). It does not
    /// make the scheme the default: pass it to <c>AddAuthentication(scheme)</c> for that. It needs the engine
    /// (<c>AddLatchkeyEngine</c>) and a store. The host's <see cref="IAuthorizationMiddlewareResultHandler"/>, if
    /// registered before this call, is wrapped, not replaced: Latchkey only takes over the 403 of a missing scope.
    /// With <c>app.UseExceptionHandler()</c>, a request that fails because the store cannot be reached answers 503 with
    /// <c>Retry-After</c> in the endpoint's error shape (<see cref="LatchkeyAuthError.StoreUnavailable"/>), not 500.
    /// </summary>
    public static AuthenticationBuilder AddLatchkey(this AuthenticationBuilder builder, string scheme, Action<LatchkeyAuthenticationOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        var services = builder.Services;

        services.AddOptions<LatchkeyFailureLimitOptions>().BindConfiguration(LatchkeyFailureLimitOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LatchkeyFailureLimitOptions>, LatchkeyFailureLimitOptionsValidator>());
        services.TryAddSingleton<LatchkeyFailureLimiter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, StoreUnavailableExceptionHandler>());

        services.AddOptions<LatchkeyAuthenticationOptions>(scheme).BindConfiguration("Latchkey:Authentication").ValidateOnStart();
        builder.AddScheme<LatchkeyAuthenticationOptions, LatchkeyAuthenticationHandler>(scheme, configure);

        if (!services.Any(descriptor => descriptor.ServiceType == typeof(LatchkeyScheme)))
        {
            services.AddSingleton(new LatchkeyScheme(scheme));
            services.AddAuthorizationBuilder()
                .AddPolicy(LatchkeyDefaults.AuthenticatedPolicy, LatchkeyPolicies.Authenticated(scheme))
                .AddPolicy(LatchkeyDefaults.AdministratorPolicy, LatchkeyPolicies.Administrator(scheme));
            DecorateResultHandler(services);
        }

        return builder;
    }

    // Registered last, so the authorization middleware resolves this one; it builds the handler it replaces as its inner.
    private static void DecorateResultHandler(IServiceCollection services)
    {
        var host = services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !descriptor.IsKeyedService);
        Func<IServiceProvider, IAuthorizationMiddlewareResultHandler> inner = host switch
        {
            { ImplementationInstance: IAuthorizationMiddlewareResultHandler instance } => _ => instance,
            { ImplementationFactory: { } factory } => sp => (IAuthorizationMiddlewareResultHandler)factory(sp),
            { ImplementationType: { } type } => sp => (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(sp, type),
            _ => _ => new AuthorizationMiddlewareResultHandler(),
        };

        services.Add(ServiceDescriptor.Describe(
            typeof(IAuthorizationMiddlewareResultHandler),
            sp => new LatchkeyAuthorizationResultHandler(inner(sp)),
            host?.Lifetime ?? ServiceLifetime.Singleton));
    }
}

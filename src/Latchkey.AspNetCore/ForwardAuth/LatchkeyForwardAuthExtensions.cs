using Latchkey.AspNetCore.ForwardAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>Forward-auth for reverse proxies: <c>AddLatchkeyForwardAuth()</c> and <c>MapLatchkeyForwardAuth()</c>.</summary>
public static class LatchkeyForwardAuthExtensions
{
    internal const string OriginalPathRouteValue = "latchkeyOriginalPath";

    /// <summary>
    /// Registers forward-auth: <see cref="LatchkeyForwardAuthOptions"/> bound from <c>Latchkey:ForwardAuth</c> and
    /// validated at start-up, its compiled rules, and the sign-in throttle its password Git authentication shares
    /// with every other password check. Needs <c>AddLatchkey</c> (the scheme's credential positions apply here too).
    /// </summary>
    public static IServiceCollection AddLatchkeyForwardAuth(this IServiceCollection services)
    {
        services.AddOptions<LatchkeyForwardAuthOptions>().BindConfiguration(LatchkeyForwardAuthOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LatchkeyForwardAuthOptions>, LatchkeyForwardAuthOptionsValidator>());
        services.TryAddSingleton<ForwardAuthRuleSet>();
        services.TryAddSingleton<ForwardAuthEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ForwardedForStartupFilter>());
        services.AddLatchkeySignInThrottle();
        return services;
    }

    /// <summary>
    /// Maps forward-auth at <paramref name="pattern"/> for every method (nginx <c>auth_request</c>, Traefik
    /// <c>forwardAuth</c>, Caddy <c>forward_auth</c>), and at <c>{pattern}/{**path}</c> for Envoy's <c>ext_authz</c>,
    /// which appends the original path. Anonymous as far as the host's authorization goes: the endpoint judges the
    /// forwarded credential itself. Not in the OpenAPI document (it is not an API): see docs/configuration.md.
    /// </summary>
    public static IEndpointConventionBuilder MapLatchkeyForwardAuth(this IEndpointRouteBuilder endpoints, string pattern = "/auth/verify")
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        // Asked without building anything: the endpoint compiles the settings, which start-up validation judges first.
        var registered = endpoints.ServiceProvider.GetRequiredService<IServiceProviderIsService>();
        if (!registered.IsService(typeof(ForwardAuthEndpoint)))
        {
            throw new InvalidOperationException("Call services.AddLatchkeyForwardAuth() before MapLatchkeyForwardAuth().");
        }

        if (!registered.IsService(typeof(LatchkeyScheme)))
        {
            throw new InvalidOperationException("Forward-auth reads credentials as the Latchkey scheme does: call services.AddAuthentication().AddLatchkey() (or services.AddLatchkey()) too.");
        }

        // Built on the first request, after start-up validation has judged the settings it compiles.
        var services = endpoints.ServiceProvider;
        var endpoint = new Lazy<ForwardAuthEndpoint>(services.GetRequiredService<ForwardAuthEndpoint>);
        RequestDelegate handle = context => endpoint.Value.HandleAsync(context);
        var group = endpoints.MapGroup(pattern);
        group.Map(string.Empty, handle);
        group.Map($"{{**{OriginalPathRouteValue}}}", handle);
        return group.AllowAnonymous().ExcludeFromDescription().WithMetadata(ForwardAuthEndpointMetadata.Instance, ForwardAuthErrorWriter.Instance);
    }
}

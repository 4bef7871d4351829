using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Hosting;

/// <summary>
/// Forwarded headers from trusted proxies only. The framework's middleware trusts loopback by default, and every
/// sender when both lists are empty; here the lists are exactly what <c>Latchkey:Server</c> names, and with none
/// named the headers are not read at all.
/// </summary>
internal static class ReverseProxySetup
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services)
    {
        services.AddOptions<ReverseProxyOptions>()
            .BindConfiguration(ReverseProxyOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                // Environment variables carry one value, so "10.0.0.5,10.0.0.6" is a list too.
                var section = configuration.GetSection(ReverseProxyOptions.SectionName);
                Flatten(options.KnownProxies, section[nameof(ReverseProxyOptions.KnownProxies)]);
                Flatten(options.KnownNetworks, section[nameof(ReverseProxyOptions.KnownNetworks)]);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ServerOptionsValidator>();

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // Entries that do not parse are skipped here and reported, naming the key, by start-up validation.
            foreach (var entry in proxy.Value.KnownProxies)
            {
                if (IPAddress.TryParse(entry, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
            }

            foreach (var entry in proxy.Value.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(entry, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
            }

            var trustsAny = forwarded.KnownProxies.Count > 0 || forwarded.KnownIPNetworks.Count > 0;
            forwarded.ForwardedHeaders = trustsAny ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;

            // Every hop is checked against the lists, so a chain of trusted proxies is walked back to the first
            // address none of them vouches for, and a client's own X-Forwarded-For entries are never believed.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    private static void Flatten(IList<string> list, string? singleValue)
    {
        var entries = list.Append(singleValue ?? string.Empty)
            .SelectMany(entry => entry.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        list.Clear();
        foreach (var entry in entries)
        {
            list.Add(entry);
        }
    }
}

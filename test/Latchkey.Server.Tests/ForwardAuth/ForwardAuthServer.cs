using System.Reflection;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Stores;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.ForwardAuth;

/// <summary>
/// The server with forward-auth rules as an operator would write them, one trusted proxy, password Git
/// authentication on, and its token store wrapped to count lookups (so a test can see a cache hit does no I/O).
/// </summary>
public sealed class ForwardAuthServer : AdjustableClockServerFactory
{
    public const string TrustedProxy = "10.0.0.5";

    public int TokenLookups => _counter.Lookups;

    private readonly LookupCounter _counter = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Latchkey:Server:KnownProxies:0"] = TrustedProxy,
        ["Latchkey:ForwardAuth:Git:AllowPasswords"] = "true",
        ["Latchkey:ForwardAuth:Rules:0:PathPrefix"] = "/public/",
        ["Latchkey:ForwardAuth:Rules:0:Anonymous"] = "true",
        ["Latchkey:ForwardAuth:Rules:1:PathPrefix"] = "/admin/",
        ["Latchkey:ForwardAuth:Rules:1:Deny"] = "true",
        ["Latchkey:ForwardAuth:Rules:2:Host"] = "*.reports.example.com",
        ["Latchkey:ForwardAuth:Rules:2:Scopes:0"] = "read_api",
        ["Latchkey:ForwardAuth:Rules:3:PathPattern"] = "^/api/v[0-9]+/",
        ["Latchkey:ForwardAuth:Rules:3:Methods:0"] = "POST",
        ["Latchkey:ForwardAuth:Rules:3:Methods:1"] = "delete",
        ["Latchkey:ForwardAuth:Rules:3:Scopes:0"] = "api",
        ["Latchkey:ForwardAuth:Rules:4:PathPrefix"] = "/api/",
        ["Latchkey:ForwardAuth:Rules:4:Scopes:0"] = "read_api",
        ["Latchkey:ForwardAuth:Rules:5:PathPrefix"] = "/basic/",
        ["Latchkey:ForwardAuth:Rules:5:Challenge"] = "Basic",
        ["Latchkey:FailedAuthentication:PermitLimit"] = "8",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var store = services.Last(d => d.ServiceType == typeof(ITokenStore));
            services.Remove(store);
            services.AddSingleton(sp => _counter.Wrap((ITokenStore)(store.ImplementationInstance
                ?? store.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, store.ImplementationType!))));
        });
    }

    /// <summary>Counts <see cref="ITokenStore.FindByHashAsync"/>, the validator's only read, and passes every call on.</summary>
    private sealed class LookupCounter
    {
        private int _lookups;

        public int Lookups => Volatile.Read(ref _lookups);

        public ITokenStore Wrap(ITokenStore inner)
        {
            var proxy = DispatchProxy.Create<ITokenStore, CountingProxy>();
            ((CountingProxy)(object)proxy).Attach(inner, () => Interlocked.Increment(ref _lookups));
            return proxy;
        }
    }

    public class CountingProxy : DispatchProxy
    {
        private ITokenStore? _inner;
        private Action? _onLookup;

        internal void Attach(ITokenStore inner, Action onLookup)
        {
            _inner = inner;
            _onLookup = onLookup;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(ITokenStore.FindByHashAsync))
            {
                _onLookup!();
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}

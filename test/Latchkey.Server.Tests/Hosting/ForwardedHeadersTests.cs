using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// <c>Latchkey:Server:KnownProxies</c> / <c>KnownNetworks</c>: behind a trusted proxy, last-used addresses, the audit
/// log and sign-in lock-outs see the forwarded client; from anyone else <c>X-Forwarded-For</c> is ignored.
/// </summary>
public sealed class ForwardedHeadersTests : IClassFixture<ForwardedHeadersTests.Factory>
{
    private const string Proxy = "10.0.0.5";
    private const string ProxyInNetwork = "172.16.4.9";

    private readonly Factory _factory;

    public ForwardedHeadersTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            // One value with commas, as an environment variable carries it.
            ["Latchkey:Server:KnownProxies"] = "10.0.0.6, " + Proxy,
            ["Latchkey:Server:KnownNetworks:0"] = "172.16.0.0/12",
            ["Latchkey:SignIn:MaxFailures"] = "2",
        };
    }

    private HttpClient Via(string connection, string? forwardedFor, string? token = null)
    {
        var client = _factory.CreateClient().WithClientAddress(connection);
        client = forwardedFor is null ? client : client.WithForwardedFor(forwardedFor);
        return token is null ? client : client.WithBearer(token);
    }

    /// <summary>Uses a new token once as <paramref name="client"/> sends it, and returns the addresses recorded for it.</summary>
    private static async Task<string[]> LastUsedIpsAsync(LatchkeyServerFactory factory, Func<string, HttpClient> client)
    {
        var admin = await factory.CreateAdminClientAsync();
        var token = await admin.CreateTokenAsync(new { name = "used through a proxy", scopes = new[] { "api" } });
        using (var use = await client(token["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, use.StatusCode);
        }

        using var read = await admin.GetAsync($"/api/tokens/{token["id"]}");
        return (await read.JsonAsync())!["last_used_ips"]!.AsArray().Select(ip => ip!.GetValue<string>()).ToArray();
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_last_used_ips_show_the_forwarded_client()
    {
        Assert.Equal(["198.51.100.23"], await LastUsedIpsAsync(_factory, token => Via(Proxy, "198.51.100.23", token)));
    }

    [Fact]
    public async Task A_proxy_inside_a_trusted_network_is_believed_too()
    {
        Assert.Equal(["198.51.100.24"], await LastUsedIpsAsync(_factory, token => Via(ProxyInNetwork, "198.51.100.24", token)));
    }

    [Fact]
    public async Task A_client_cannot_slip_an_address_of_its_choosing_in_front_of_the_one_the_proxy_saw()
    {
        Assert.Equal(["198.51.100.25"], await LastUsedIpsAsync(_factory, token => Via(Proxy, "6.6.6.6, 198.51.100.25", token)));
    }

    [Fact]
    public async Task A_forged_X_Forwarded_For_from_an_untrusted_address_is_ignored()
    {
        Assert.Equal(["203.0.113.9"], await LastUsedIpsAsync(_factory, token => Via("203.0.113.9", "198.51.100.99", token)));
    }

    [Fact]
    public async Task With_no_proxy_configured_X_Forwarded_For_is_ignored_even_from_loopback()
    {
        using var factory = new LatchkeyServerFactory();
        Assert.Equal([Proxy], await LastUsedIpsAsync(factory, token => factory.CreateClient().WithClientAddress(Proxy).WithBearer(token).WithForwardedFor("198.51.100.26")));
        Assert.Equal(["127.0.0.1"], await LastUsedIpsAsync(factory, token => factory.CreateClient().WithClientAddress("127.0.0.1").WithBearer(token).WithForwardedFor("198.51.100.27")));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_sign_in_lock_outs_and_the_audit_log_are_per_forwarded_client()
    {
        for (var i = 0; i < 2; i++)
        {
            using var failed = await Via(Proxy, "198.51.100.30").PostAsJsonAsync("/api/session", new { username = "admin", password = $"proxied-guess-{i}-xx" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using (var locked = await Via(Proxy, "198.51.100.30").PostAsJsonAsync("/api/session", new { username = "admin", password = LatchkeyServerFactory.AdminPassword }))
        {
            Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        }

        // Someone else behind the same proxy is another client, not the proxy's one shared lock.
        await Via(Proxy, "198.51.100.31").SignInAsync();

        using var audit = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/audit?per_page=100");
        var failures = (await audit.JsonAsync())!.AsArray().Where(e => e!["action"]!.GetValue<string>() == "sign_in.failed").ToList();
        Assert.Equal(2, failures.Count(e => e!["ip_address"]?.GetValue<string>() == "198.51.100.30"));
        Assert.DoesNotContain(failures, e => e!["ip_address"]?.GetValue<string>() == Proxy);
    }
}

using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

/// <summary><c>Latchkey:Server</c> settings that cannot work stop the server at start-up, naming the key.</summary>
public sealed class ReverseProxySettingsTests
{
    private sealed class Factory(string key, string value) : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { [key] = value };
    }

    [Theory]
    [InlineData("Latchkey:Server:KnownProxies:0", "nginx.internal", "Latchkey:Server:KnownProxies:0")]
    [InlineData("Latchkey:Server:KnownProxies", "10.0.0.5, 10.0.0.300", "Latchkey:Server:KnownProxies")]
    [InlineData("Latchkey:Server:KnownNetworks:0", "10.0.0.0/33", "Latchkey:Server:KnownNetworks:0")]
    [InlineData("Latchkey:Server:KnownNetworks:0", "fd00::/129", "Latchkey:Server:KnownNetworks:0")]
    [InlineData("Latchkey:Server:KnownNetworks", "10.0.0.5", "Latchkey:Server:KnownNetworks")]
    [InlineData("Latchkey:Server:PublicBaseUrl", "latchkey.example.com", "Latchkey:Server:PublicBaseUrl")]
    [InlineData("Latchkey:Server:PublicBaseUrl", "ftp://latchkey.example.com", "Latchkey:Server:PublicBaseUrl")]
    [InlineData("Latchkey:Server:PublicBaseUrl", "https://latchkey.example.com/?x=1", "Latchkey:Server:PublicBaseUrl")]
    public void A_bad_proxy_or_public_url_setting_fails_start_up_naming_the_key(string key, string value, string named)
    {
        using var factory = new Factory(key, value);
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(named, failure.Message);
        Assert.Contains(value.Split(", ")[^1], failure.Message);
    }
}

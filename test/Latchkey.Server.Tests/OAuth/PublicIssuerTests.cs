using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>Behind a reverse proxy the issuer and endpoint URLs come from <c>Latchkey:Server:PublicBaseUrl</c>, not the Host header.</summary>
public sealed class PublicIssuerTests : IClassFixture<PublicIssuerTests.Server>
{
    private readonly Server _factory;

    public PublicIssuerTests(Server factory) => _factory = factory;

    [Fact]
    public async Task The_issuer_and_endpoints_are_under_the_public_base_url_whatever_host_the_request_names()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Host = "attacker.example";

        var body = (await client.GetFromJsonAsync<JsonObject>("/.well-known/oauth-authorization-server"))!;

        Assert.Equal("https://latchkey.example.com/keys", body["issuer"]!.GetValue<string>());
        Assert.Equal("https://latchkey.example.com/keys/oauth/introspect", body["introspection_endpoint"]!.GetValue<string>());
        Assert.Equal("https://latchkey.example.com/keys/oauth/revoke", body["revocation_endpoint"]!.GetValue<string>());
        Assert.Equal("https://latchkey.example.com/keys/oauth/token", body["token_endpoint"]!.GetValue<string>());
    }

    public sealed class Server : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Server:PublicBaseUrl"] = "https://latchkey.example.com/keys/",
        };
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>
/// The three endpoints against a live server, through a real third-party OAuth client (Duende.IdentityModel 8.1.0:
/// discovery, introspection, revocation) and through <c>curl</c>, as docs/oauth.md shows them.
/// </summary>
[LongRunning]
public sealed class OAuthRealClientTests : IClassFixture<LiveServerFactory>
{
    private readonly LiveServerFactory _server;

    public OAuthRealClientTests(LiveServerFactory server) => _server = server;

    [Fact]
    public async Task Duende_discovery_introspection_and_revocation_work_against_the_live_server()
    {
        var (secret, id, owner) = await _server.PatAsync("read_api", "write_repository");
        var (introspector, _, _) = await _server.PatAsync("introspect");
        using var http = new HttpClient();

        var disco = await http.GetDiscoveryDocumentAsync(Discovery());
        Assert.False(disco.IsError, disco.Error);
        Assert.Equal(_server.BaseAddress, disco.Issuer);
        Assert.Equal($"{_server.BaseAddress}/oauth/token", disco.TokenEndpoint);
        Assert.Equal(["client_credentials"], disco.GrantTypesSupported);
        Assert.Contains("introspect", disco.ScopesSupported);

        // As a resource server sends it: its own token as the client secret of HTTP Basic.
        Task<TokenIntrospectionResponse> IntrospectAsync() => http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = disco.IntrospectionEndpoint,
            ClientId = "resource-server",
            ClientSecret = introspector,
            Token = secret,
        });

        var active = await IntrospectAsync();
        Assert.False(active.IsError, active.Error);
        Assert.True(active.IsActive);
        Assert.Equal(["read_api", "write_repository"], active.Scopes);
        Assert.Equal(owner.Username, active.UserName);
        Assert.Equal(owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), active.Subject);
        Assert.Equal("Bearer", active.TokenType);
        Assert.NotNull(active.Expiration);
        Assert.NotNull(active.IssuedAt);
        Assert.Equal(_server.BaseAddress, active.Issuer);
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), active.Claims.Single(c => c.Type == "token_id").Value);

        var revoked = await http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = disco.RevocationEndpoint,
            ClientId = "resource-server",
            ClientSecret = "not needed: anyone holding the value may revoke it",
            Token = secret,
            TokenTypeHint = "access_token",
        });
        Assert.False(revoked.IsError, revoked.Error);
        Assert.Equal(HttpStatusCode.OK, revoked.HttpStatusCode);

        using var after = await _server.CreateClient(secret).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var inactive = await IntrospectAsync();
        Assert.False(inactive.IsError, inactive.Error);
        Assert.False(inactive.IsActive);
        Assert.Equal("""{"active":false}""", inactive.Raw);
        Assert.DoesNotContain(secret, _server.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(introspector, _server.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duendes_default_policy_needs_the_rfc_8414_path_and_no_key_set_as_docs_oauth_md_says()
    {
        using var http = new HttpClient();

        // Default: OpenID Connect's /.well-known/openid-configuration, which Latchkey is not.
        var oidc = await http.GetDiscoveryDocumentAsync(_server.BaseAddress);
        var withoutKeySetOption = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = _server.BaseAddress,
            Policy = { DiscoveryDocumentPath = "/.well-known/oauth-authorization-server" },
        });

        Assert.True(oidc.IsError);
        Assert.Equal(HttpStatusCode.NotFound, oidc.HttpStatusCode);
        Assert.True(withoutKeySetOption.IsError);
        Assert.Equal("Keyset is missing", withoutKeySetOption.Error);
    }

    [Fact]
    public async Task The_curl_lines_of_docs_oauth_md_introspect_revoke_and_discover()
    {
        var (secret, _, _) = await _server.PatAsync("read_api");
        var (introspector, _, _) = await _server.PatAsync("introspect");
        var latchkey = _server.BaseAddress;

        var metadata = JsonNode.Parse(await CurlAsync("-sS", $"{latchkey}/.well-known/oauth-authorization-server"))!;
        var introspected = JsonNode.Parse(await CurlAsync("-sS", "-u", $"resource-server:{introspector}", "-d", $"token={secret}", $"{latchkey}/oauth/introspect"))!;
        var revokeStatus = await CurlAsync("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-d", $"token={secret}", $"{latchkey}/oauth/revoke");
        var after = await CurlAsync("-sS", "-H", $"Authorization: Bearer {introspector}", "-d", $"token={secret}", $"{latchkey}/oauth/introspect");

        Assert.Equal($"{latchkey}/oauth/introspect", metadata["introspection_endpoint"]!.GetValue<string>());
        Assert.True(introspected["active"]!.GetValue<bool>());
        Assert.Equal("read_api", introspected["scope"]!.GetValue<string>());
        Assert.Equal("200", revokeStatus);
        Assert.Equal("""{"active":false}""", after);
    }

    private DiscoveryDocumentRequest Discovery() => new()
    {
        Address = _server.BaseAddress,
        Policy =
        {
            // RFC 8414's path instead of OpenID Connect's, and no signing keys: Latchkey's tokens are opaque.
            DiscoveryDocumentPath = "/.well-known/oauth-authorization-server",
            RequireKeySet = false,
        },
    };

    private static async Task<string> CurlAsync(params string[] arguments)
    {
        var outcome = await ExternalProcess.RunAsync("curl", arguments);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        return outcome.StandardOutput;
    }
}

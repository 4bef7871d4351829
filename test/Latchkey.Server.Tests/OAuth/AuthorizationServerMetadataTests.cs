using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>RFC 8414 <c>/.well-known/oauth-authorization-server</c>: what the server really offers, and only that.</summary>
public sealed class AuthorizationServerMetadataTests : IClassFixture<LatchkeyServerFactory>
{
    private const string Path = "/.well-known/oauth-authorization-server";

    private readonly LatchkeyServerFactory _factory;

    public AuthorizationServerMetadataTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task The_metadata_names_the_issuer_the_three_endpoints_and_what_each_accepts()
    {
        using var response = await _factory.CreateClient().GetAsync(Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = (await response.JsonAsync())!.AsObject();
        Assert.Equal("http://localhost", Text(body, "issuer"));
        Assert.Equal("http://localhost/oauth/token", Text(body, "token_endpoint"));
        Assert.Equal("http://localhost/oauth/introspect", Text(body, "introspection_endpoint"));
        Assert.Equal("http://localhost/oauth/revoke", Text(body, "revocation_endpoint"));
        Assert.Equal(["client_credentials"], List(body, "grant_types_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post"], List(body, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["client_secret_basic", "Bearer"], List(body, "introspection_endpoint_auth_methods_supported"));
        Assert.Equal(["none"], List(body, "revocation_endpoint_auth_methods_supported"));
        Assert.Empty(List(body, "response_types_supported"));
        Assert.Contains("introspect", List(body, "scopes_supported"));
        Assert.Contains("read_repository", List(body, "scopes_supported"));
        Assert.False(body.ContainsKey("jwks_uri"));
        Assert.False(body.ContainsKey("authorization_endpoint"));
    }

    [Fact]
    public async Task Every_advertised_endpoint_answers_at_its_url()
    {
        var client = _factory.CreateClient();
        var body = (await client.GetFromJsonAsync<JsonObject>(Path))!;
        var (pat, _, _) = await _factory.PatAsync("introspect");

        using var introspect = await _factory.CreateClient(pat).PostAsync(Text(body, "introspection_endpoint"), OAuthRequests.Form(("token", "nothing")));
        using var revoke = await client.PostAsync(Text(body, "revocation_endpoint"), OAuthRequests.Form(("token", "nothing")));
        using var token = await client.PostAsync(Text(body, "token_endpoint"), OAuthRequests.Form(("grant_type", "client_credentials")));

        Assert.Equal("""{"active":false}""", await introspect.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("invalid_client", (await token.JsonAsync())!["error"]!.GetValue<string>());
    }

    private static string Text(JsonObject body, string name) => body[name]!.GetValue<string>();

    private static List<string> List(JsonObject body, string name) => [.. body[name]!.AsArray().Select(v => v!.GetValue<string>())];
}

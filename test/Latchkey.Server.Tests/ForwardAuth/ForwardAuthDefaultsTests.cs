using System.Net;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.ForwardAuth;

/// <summary>Forward-auth on a server with no <c>Latchkey:ForwardAuth</c> settings at all.</summary>
public sealed class ForwardAuthDefaultsTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _server;

    public ForwardAuthDefaultsTests(LatchkeyServerFactory server) => _server = server;

    private async Task<HttpResponseMessage> VerifyAsync(string method, string uri, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/verify");
        request.Headers.TryAddWithoutValidation("X-Original-Method", method);
        request.Headers.TryAddWithoutValidation("X-Original-URI", uri);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _server.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task Any_valid_token_passes_and_no_credential_gets_a_Bearer_challenge()
    {
        var user = await _server.CreateUserAsync();
        var token = (await _server.CreateClient(user).CreateTokenAsync(new { name = "any", scopes = new[] { "read_user" } }))["token"]!.GetValue<string>();

        using var passes = await VerifyAsync("DELETE", "/whatever/you/like", $"Bearer {token}");
        using var refused = await VerifyAsync("GET", "/whatever", null);

        Assert.Equal(HttpStatusCode.OK, passes.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\"", refused.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_git_rules_apply_without_configuration_and_refuse_account_passwords()
    {
        var user = await _server.CreateUserAsync();
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.Username}:{user.Password}"));

        using var response = await VerifyAsync("GET", "/demo.git/info/refs?service=git-upload-pack", basic);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(
            "HTTP Basic: Access denied. You must use a personal access token with 'read_repository' or 'write_repository' scope for Git over HTTP.",
            response.Headers.GetValues("X-Latchkey-Message").Single());
    }

    [Fact]
    public async Task The_endpoint_is_not_in_the_OpenAPI_document()
    {
        using var document = await _server.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.DoesNotContain("/auth/verify", await document.Content.ReadAsStringAsync());
    }
}

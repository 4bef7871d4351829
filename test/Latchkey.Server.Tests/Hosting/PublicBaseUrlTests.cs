using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// <c>Latchkey:Server:PublicBaseUrl</c>: the links the server writes (<c>Link</c> headers, GitLab's <c>web_url</c>)
/// point at the configured address whatever <c>Host</c> a client sends; without it they follow the request, which
/// <c>AllowedHosts</c> can restrict.
/// </summary>
public sealed class PublicBaseUrlTests : IClassFixture<PublicBaseUrlTests.Factory>
{
    private const string PublicBase = "https://latchkey.example.com/pat";

    private readonly Factory _factory;

    public PublicBaseUrlTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Server:PublicBaseUrl"] = PublicBase + "/",
        };
    }

    private static async Task<HttpClient> WithTokensAsync(LatchkeyServerFactory factory, string host)
    {
        var user = await factory.CreateUserAsync();
        var client = factory.CreateClient(user);
        for (var i = 0; i < 3; i++)
        {
            await client.CreateTokenAsync(new { name = $"paged {i}", scopes = new[] { "api" } });
        }

        client.DefaultRequestHeaders.Host = host;
        return client;
    }

    private static string[] LinkUrls(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Link").Single().Split(", ").Select(part => part[(part.IndexOf('<') + 1)..part.IndexOf('>')]).ToArray();
    }

    [Theory]
    [InlineData("/api/tokens?per_page=1&page=2", "/api/tokens?")]
    [InlineData("/api/v4/personal_access_tokens?per_page=1&page=2", "/api/v4/personal_access_tokens?")]
    public async Task Links_are_built_from_the_public_base_url_not_the_Host_header(string url, string path)
    {
        var client = await WithTokensAsync(_factory, "evil.example");
        using var response = await client.GetAsync(url);

        var links = LinkUrls(response);
        Assert.Equal(4, links.Length);
        Assert.All(links, link => Assert.StartsWith(PublicBase + path, link, StringComparison.Ordinal));
        Assert.Contains(PublicBase + path + "page=3&per_page=1", links);
    }

    [Fact]
    public async Task GitLabs_web_url_is_built_from_the_public_base_url()
    {
        var client = (await _factory.CreateAdminClientAsync());
        client.DefaultRequestHeaders.Host = "evil.example";
        using var response = await client.GetAsync("/api/v4/user");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PublicBase + "/admin", (await response.JsonAsync())!["web_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_public_base_url_links_follow_the_requests_host()
    {
        using var factory = new LatchkeyServerFactory();
        var client = await WithTokensAsync(factory, "latchkey.internal:8080");
        using var response = await client.GetAsync("/api/tokens?per_page=1");

        Assert.All(LinkUrls(response), link => Assert.StartsWith("http://latchkey.internal:8080/api/tokens?", link, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllowedHosts_refuses_a_request_for_any_other_host()
    {
        using var factory = new HostsFactory("latchkey.example.com");
        var client = factory.CreateClient();

        client.DefaultRequestHeaders.Host = "evil.example";
        using (var refused = await client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        client.DefaultRequestHeaders.Host = "latchkey.example.com";
        using var allowed = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private sealed class HostsFactory(string allowedHosts) : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["AllowedHosts"] = allowedHosts };
    }
}

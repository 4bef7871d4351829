using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>The OpenAPI document, the browsable API page and the health endpoints, all without a credential.</summary>
public sealed class DocsAndHealthTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _factory;

    public DocsAndHealthTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task The_OpenAPI_document_lists_the_native_API()
    {
        using var response = await _factory.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = (await response.JsonAsync())!.AsObject();
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[] { "/api/tokens", "/api/tokens/{id}", "/api/tokens/self", "/api/tokens/{id}/rotate", "/api/tokens/self/rotate", "/api/tokens/revoke", "/api/session", "/api/user", "/api/users", "/api/audit" })
        {
            Assert.True(paths.ContainsKey(path) || paths.ContainsKey(path + "/"), $"OpenAPI lacks {path}: {string.Join(", ", paths.Select(p => p.Key))}");
        }

        var tokens = paths["/api/tokens"] ?? paths["/api/tokens/"];
        Assert.NotNull(tokens!["get"]);
        Assert.NotNull(tokens["post"]);
        Assert.Equal("CreateToken", tokens["post"]!["operationId"]!.GetValue<string>());
        var byId = paths["/api/tokens/{id}"]!.AsObject();
        Assert.Equal(["delete", "get", "patch"], byId.Select(p => p.Key).Where(k => k is "get" or "patch" or "delete" or "post" or "put").Order());
    }

    [Fact]
    public async Task The_API_page_is_served()
    {
        using var response = await _factory.CreateClient().GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("swagger-ui", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Latchkey API", html);
    }

    [Fact]
    public async Task The_API_page_points_at_the_OpenAPI_document()
    {
        using var html = await _factory.CreateClient().GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        using var config = await _factory.CreateClient().GetAsync("/docs/index.js");
        var text = (await html.Content.ReadAsStringAsync()) + (config.IsSuccessStatusCode ? await config.Content.ReadAsStringAsync() : string.Empty);
        Assert.Contains("/openapi/v1.json", text);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200_without_a_credential(string url)
    {
        using var response = await _factory.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_names_no_secret_and_needs_no_credential()
    {
        using var response = await _factory.CreateClient().GetAsync("/openapi/v1.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(LatchkeyServerFactory.AdminPassword, text);
        Assert.DoesNotContain(await _factory.AdminSessionAsync(), text);
        Assert.NotNull(JsonNode.Parse(text));
    }
}

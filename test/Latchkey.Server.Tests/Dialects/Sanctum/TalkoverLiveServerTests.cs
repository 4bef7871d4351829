using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>What only a real Kestrel does: its request-size limit.</summary>
public sealed class TalkoverLiveServerTests : IClassFixture<LiveServerFactory>
{
    private readonly LiveServerFactory _factory;

    public TalkoverLiveServerTests(LiveServerFactory factory) => _factory = factory;

    [Fact]
    public async Task An_oversized_body_answers_413_in_laravels_shape_and_creates_nothing()
    {
        var admin = await _factory.AdminAsync();
        var huge = $$"""{"name":"{{new string('x', 2 * 1024 * 1024)}}"}""";

        // Expect: 100-continue (as curl sends for large bodies): the server refuses before the body is sent, so the
        // client never writes into a socket the server has already closed.
        using var request = new HttpRequestMessage(HttpMethod.Post, TalkoverClient.Path) { Content = TalkoverClient.Json(huge) };
        request.Headers.ExpectContinue = true;
        using var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"message":"The POST data is too large."}""", await response.BodyAsync());
        Assert.Empty(await admin.ListApiTokensAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_talkover_endpoints()
    {
        using var response = await _factory.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.JsonAsync())!["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/v1/user/api-tokens"), string.Join(", ", paths.Select(p => p.Key)));
        Assert.True(paths.ContainsKey("/api/v1/user/api-tokens/{id}"));
    }
}

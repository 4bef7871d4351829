using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Browser.Tests.Infrastructure;

/// <summary>The API as a script would use it: what a token can do once made on the page.</summary>
public static class Api
{
    /// <summary><c>GET /api/v4/user</c> with the token in <c>PRIVATE-TOKEN</c>, as in seed 002.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> CurrentUserAsync(this BrowserFixture fixture, string token)
    {
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v4/user");
        request.Headers.Add("PRIVATE-TOKEN", token);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Creates a token through the native API with <paramref name="session"/>; returns its JSON.</summary>
    public static async Task<JsonObject> CreateTokenAsync(this BrowserFixture fixture, string session, object body)
    {
        using var client = fixture.CreateClient(session);
        using var response = await client.PostAsJsonAsync("/api/tokens", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create token answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}

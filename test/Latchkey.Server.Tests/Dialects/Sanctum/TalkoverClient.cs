using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>Helpers for the Talkover account API, as its clients call it.</summary>
internal static class TalkoverClient
{
    public const string Path = "/api/v1/user/api-tokens";

    public static StringContent Json(string rawJson, string contentType = "application/json")
        => new(rawJson, System.Text.Encoding.UTF8, contentType);

    /// <summary>Creates a token and returns the seed's <c>data</c> object.</summary>
    public static async Task<JsonObject> CreateApiTokenAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync(Path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["data"]!.AsObject();
    }

    public static async Task<JsonArray> ListApiTokensAsync(this HttpClient client)
    {
        using var response = await client.GetAsync(Path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"list answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["data"]!.AsArray();
    }

    /// <summary>A signed-in client for a new non-administrator, created by the administrator.</summary>
    public static async Task<HttpClient> NewUserAsync(this LatchkeyServerFactory factory, HttpClient admin, string username)
    {
        const string password = "a-long-enough-password";
        using var created = await admin.PostAsJsonAsync("/api/users", new { username, password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var session = await factory.CreateClient().SignInAsync(username, password);
        return factory.CreateClient().WithBearer(session);
    }

    public static async Task<HttpClient> AdminAsync(this LatchkeyServerFactory factory)
        => factory.CreateClient().WithBearer(await factory.CreateClient().SignInAsync());

    /// <summary>The exact JSON body, for comparing whole error shapes.</summary>
    public static async Task<string> BodyAsync(this HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString();
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>Small helpers for driving the SailPoint dialect over HTTP the way its clients do.</summary>
public static class SailPointApi
{
    public const string Tokens = "/v3/personal-access-tokens";

    public const string JsonPatch = "application/json-patch+json";

    /// <summary>A client signed in as the administrator (a session: full access).</summary>
    public static async Task<HttpClient> AdminAsync(this LatchkeyServerFactory factory)
        => factory.CreateClient().WithBearer(await factory.CreateClient().SignInAsync());

    /// <summary>Creates a non-administrator and returns a client signed in as them, with their user id.</summary>
    public static async Task<(HttpClient Client, long UserId)> UserAsync(this LatchkeyServerFactory factory, string username)
    {
        const string password = "a-long-enough-password-1";
        var admin = await factory.AdminAsync();
        using var created = await admin.PostAsJsonAsync("/api/users", new { username, password, name = $"{username} person" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync())!["id"]!.GetValue<long>();
        var client = factory.CreateClient().WithBearer(await factory.CreateClient().SignInAsync(username, password));
        return (client, id);
    }

    /// <summary>POSTs a create request and asserts SailPoint's 200.</summary>
    public static async Task<JsonObject> CreatePatAsync(this HttpClient client, object body, string path = Tokens)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static Task<JsonObject> CreateNeverExpiringPatAsync(this HttpClient client, string name, params string[] scope)
        => client.CreatePatAsync(scope.Length == 0
            ? new { name, userAwareTokenNeverExpires = true }
            : new { name, scope, userAwareTokenNeverExpires = true });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string rawJson, string contentType = "application/json")
        => client.SendAsync(ApiClient.Json(HttpMethod.Post, path, rawJson, contentType));

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string id, string rawJson, string contentType = JsonPatch)
        => client.SendAsync(ApiClient.Json(HttpMethod.Patch, $"{Tokens}/{id}", rawJson, contentType));

    public static async Task<JsonArray> ListPatsAsync(this HttpClient client, string query = "?owner-id=me")
    {
        using var response = await client.GetAsync(Tokens + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"list answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>Exchanges a PAT for an access token at /oauth/token (form-encoded) and returns the whole answer.</summary>
    public static async Task<JsonObject> ExchangeAsync(this HttpClient anonymous, JsonObject pat)
    {
        using var response = await anonymous.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = pat["id"]!.GetValue<string>(),
            ["client_secret"] = pat["secret"]!.GetValue<string>(),
        }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/oauth/token answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts a SailPoint ErrorResponseDto with this status and detail code, and returns it.</summary>
    public static async Task<JsonObject> AssertErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string detailCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(detailCode, body["detailCode"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", body["trackingId"]!.GetValue<string>());
        var message = Assert.Single(body["messages"]!.AsArray())!;
        Assert.Equal("en-US", message["locale"]!.GetValue<string>());
        Assert.Equal("DEFAULT", message["localeOrigin"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(message["text"]!.GetValue<string>()));
        Assert.NotNull(body["causes"]!.AsArray());
        return body;
    }

    /// <summary>The specific reason of an error (its first cause).</summary>
    public static string Cause(this JsonObject error) => error["causes"]!.AsArray()[0]!["text"]!.GetValue<string>();

    public static StringContent Text(string text, string contentType) => new(text, Encoding.UTF8, contentType);
}

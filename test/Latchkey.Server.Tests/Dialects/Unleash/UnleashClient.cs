using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>Calls Unleash's PAT API the way Unleash clients do, and arranges users to call it as.</summary>
public static class UnleashClient
{
    public const string TokensPath = "/api/admin/user/tokens";

    /// <summary>A far-off expiry in Unleash's own format, safely in the future whenever the tests run.</summary>
    public static string FutureExpiry => $"{DateTime.UtcNow.Year + 2}-12-31T23:59:59.000Z";

    /// <summary>A client that sends <paramref name="secret"/> as the whole Authorization header, as Unleash clients do.</summary>
    public static HttpClient WithRawAuthorization(this HttpClient client, string secret)
    {
        client.DefaultRequestHeaders.Remove("Authorization");
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", secret);
        return client;
    }

    /// <summary>Posts <paramref name="body"/> as it is, with exactly <paramref name="contentType"/> (no charset added).</summary>
    public static Task<HttpResponseMessage> PostPatAsync(this HttpClient client, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, System.Text.Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync(TokensPath, content);
    }

    /// <summary>Creates a PAT and returns Unleash's response body (with the secret).</summary>
    public static async Task<JsonObject> CreatePatAsync(this HttpClient client, string description, string? expiresAt = null)
    {
        using var response = await client.PostAsJsonAsync(TokensPath, new { description, expiresAt = expiresAt ?? FutureExpiry });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create PAT answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonArray> ListPatsAsync(this HttpClient client)
    {
        using var response = await client.GetAsync(TokensPath);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"list PATs answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["pats"]!.AsArray();
    }

    // One administrator session per server: signing in hashes a password, the slowest step of arranging a test.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<LatchkeyServerFactory, Task<string>> AdminSessions = [];

    /// <summary>The administrator, signed in: a session has all of the admin's rights, like an Unleash log-in.</summary>
    public static async Task<HttpClient> AdminAsync(this LatchkeyServerFactory factory)
        => factory.CreateClient().WithBearer(await AdminSessions.GetValue(factory, f => f.CreateClient().SignInAsync()));

    /// <summary>A new, ordinary user, signed in; each test that counts tokens takes its own.</summary>
    public static async Task<(HttpClient Client, long UserId)> NewUserAsync(this LatchkeyServerFactory factory)
    {
        var admin = await factory.AdminAsync();
        var username = $"unleash-{Guid.NewGuid():N}"[..24];
        const string password = "unleash-user-password";
        using var created = await admin.PostAsJsonAsync("/api/users", new { username, password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var userId = (await created.JsonAsync())!["id"]!.GetValue<long>();
        var session = await factory.CreateClient().SignInAsync(username, password);
        return (factory.CreateClient().WithBearer(session), userId);
    }
}

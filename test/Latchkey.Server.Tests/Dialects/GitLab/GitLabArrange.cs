using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>
/// Arranges what GitLab-dialect tests need through the native API (users, personal access tokens), and GitLab
/// clients that send the token the way GitLab's docs do, in <c>PRIVATE-TOKEN</c>.
/// </summary>
internal static class GitLabArrange
{
    public const string UserPassword = "a-long-enough-password";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<LatchkeyServerFactory, Task<string>> AdminSessions = new();

    /// <summary>A native personal access token of the administrator.</summary>
    public static async Task<string> AdminTokenAsync(LatchkeyServerFactory factory, params string[] scopes)
    {
        var admin = factory.CreateClient().WithBearer(await AdminSessionAsync(factory));
        var created = await admin.CreateTokenAsync(new { name = "admin-" + Guid.NewGuid().ToString("N")[..8], scopes = scopes.Length == 0 ? new[] { "api" } : scopes });
        return created["token"]!.GetValue<string>();
    }

    /// <summary>A new non-administrator and a native personal access token of theirs.</summary>
    public static async Task<(long Id, string Token)> UserAsync(LatchkeyServerFactory factory, params string[] scopes)
    {
        var admin = factory.CreateClient().WithBearer(await AdminSessionAsync(factory));
        var username = "user-" + Guid.NewGuid().ToString("N")[..10];
        using var response = await admin.PostAsJsonAsync("/api/users", new { username, password = UserPassword, email = $"{username}@example.com", name = "Test " + username });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.JsonAsync())!["id"]!.GetValue<long>();

        var created = await admin.CreateTokenAsync(new { name = "setup", user_id = id, scopes = scopes.Length == 0 ? new[] { "api" } : scopes });
        return (id, created["token"]!.GetValue<string>());
    }

    /// <summary>One administrator session per server: signing in hashes a password, which tests need not repeat.</summary>
    public static Task<string> AdminSessionAsync(LatchkeyServerFactory factory)
        => AdminSessions.GetValue(factory, f => f.CreateClient().SignInAsync());

    /// <summary>A client of the in-memory server that sends <paramref name="token"/> as <c>PRIVATE-TOKEN</c>.</summary>
    public static HttpClient Client(LatchkeyServerFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        return client;
    }

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields)
        => new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>Creates a token for the caller through seed 000's endpoint and returns the 201 body.</summary>
    public static async Task<JsonObject> CreateOwnAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v4/user/personal_access_tokens", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Creates a token for <paramref name="userId"/> through the administrators' endpoint and returns the 201 body.</summary>
    public static async Task<JsonObject> CreateForAsync(HttpClient admin, long userId, object body)
    {
        using var response = await admin.PostAsJsonAsync($"/api/v4/users/{userId}/personal_access_tokens", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts the status and that the body is exactly <paramref name="expectedJson"/>.</summary>
    public static async Task AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode status, string expectedJson)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedJson), JsonNode.Parse(text)), $"expected {expectedJson}, got {text}");
    }

    public static void AssertFields(JsonObject body, params string[] names)
        => Assert.Equal(names.Order(StringComparer.Ordinal), body.Select(p => p.Key).Order(StringComparer.Ordinal));

    public static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string DaysFromToday(int days) => DateTime.UtcNow.Date.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public const string InsufficientScopeDescription = "The request requires higher privileges than provided by the access token.";

    public static string ScopeError(string scope)
        => new JsonObject { ["error"] = "insufficient_scope", ["error_description"] = InsufficientScopeDescription, ["scope"] = scope }.ToJsonString();
}

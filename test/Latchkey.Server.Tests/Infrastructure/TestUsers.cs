using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>Creates users the way an administrator would, over HTTP.</summary>
public static class TestUsers
{
    private static int _counter;

    /// <summary>Creates a user with a unique name (unless given) and signs them in.</summary>
    public static async Task<TestUser> CreateUserAsync(this LatchkeyServerFactory factory, string? username = null, bool admin = false)
    {
        username ??= $"user{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        var client = await factory.CreateAdminClientAsync();
        using var response = await client.PostAsJsonAsync("/api/users", new { username, password = TestUser.DefaultPassword, email = $"{username}@example.com", name = username, admin });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create user answered {(int)response.StatusCode}: {text}");
        var id = JsonNode.Parse(text)!["id"]!.GetValue<long>();
        var session = await factory.CreateClient().SignInAsync(username, TestUser.DefaultPassword);
        return new TestUser(id, username, TestUser.DefaultPassword, session);
    }

    /// <summary>A client signed in as <paramref name="user"/> (with their session).</summary>
    public static HttpClient CreateClient(this LatchkeyServerFactory factory, TestUser user) => factory.CreateClient(user.Session);
}

using System.Net.Http.Headers;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>RFC 7662 and RFC 7009 requests as a resource server sends them: a urlencoded form, the caller's credential in a header.</summary>
internal static class OAuthRequests
{
    public const string IntrospectPath = "/oauth/introspect";
    public const string RevokePath = "/oauth/revoke";

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields)
        => new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public static async Task<HttpResponseMessage> IntrospectAsync(this HttpClient caller, string token)
        => await caller.PostAsync(IntrospectPath, Form(("token", token)));

    public static async Task<HttpResponseMessage> RevokeAsync(this HttpClient client, string token)
        => await client.PostAsync(RevokePath, Form(("token", token)));

    /// <summary>Basic <c>client_id:client_secret</c>, as an OAuth client library sends them.</summary>
    public static HttpClient WithBasic(this HttpClient client, string id, string secret)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
        return client;
    }

    /// <summary>A personal access token of a new user with <paramref name="scopes"/>: the secret, its id and the owner.</summary>
    public static async Task<(string Secret, long Id, TestUser Owner)> PatAsync(this LatchkeyServerFactory factory, params string[] scopes)
    {
        var owner = await factory.CreateUserAsync();
        var created = await factory.CreateClient(owner).CreateTokenAsync(new { name = "pat", scopes, expires_at = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd") });
        return (created["token"]!.GetValue<string>(), created["id"]!.GetValue<long>(), owner);
    }

    /// <summary>A resource server's credential: a personal access token holding only <c>introspect</c>.</summary>
    public static async Task<HttpClient> ResourceServerAsync(this LatchkeyServerFactory factory)
        => factory.CreateClient((await factory.PatAsync("introspect")).Secret);
}

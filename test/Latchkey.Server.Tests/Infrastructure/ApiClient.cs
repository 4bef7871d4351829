using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>Small helpers over HttpClient for the native API: sign in, create tokens, read JSON.</summary>
public static class ApiClient
{
    public static async Task<string> SignInAsync(this HttpClient client, string username = "admin", string password = LatchkeyServerFactory.AdminPassword)
    {
        using var response = await client.PostAsJsonAsync("/api/session", new { username, password });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["token"]!.GetValue<string>();
    }

    /// <summary>A client that sends <paramref name="token"/> as a bearer token.</summary>
    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Makes the client's requests come from <paramref name="address"/> (see <see cref="ClientAddressStartupFilter"/>).</summary>
    public static HttpClient WithClientAddress(this HttpClient client, string address)
    {
        client.DefaultRequestHeaders.Remove(ClientAddressStartupFilter.HeaderName);
        client.DefaultRequestHeaders.Add(ClientAddressStartupFilter.HeaderName, address);
        return client;
    }

    /// <summary>Adds <c>X-Forwarded-For</c>, as a reverse proxy (or a client pretending to be one) would.</summary>
    public static HttpClient WithForwardedFor(this HttpClient client, string value)
    {
        client.DefaultRequestHeaders.Add("X-Forwarded-For", value);
        return client;
    }

    /// <summary>Sends <paramref name="body"/> exactly as given (no body at all when <c>null</c>).</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> CreateTokenAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/tokens", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"create token answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonNode?> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
    }

    public static HttpRequestMessage Json(HttpMethod method, string url, string rawJson, string contentType = "application/json")
        => new(method, url) { Content = new StringContent(rawJson, System.Text.Encoding.UTF8, contentType) };

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

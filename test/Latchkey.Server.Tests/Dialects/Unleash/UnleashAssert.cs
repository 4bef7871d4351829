using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>Compares answers with the responses recorded from Unleash 7.5.1, byte for byte.</summary>
public static partial class UnleashAssert
{
    /// <summary>
    /// Asserts the status, Unleash's content type and the exact body. In <paramref name="expected"/>,
    /// <c>"id":"*"</c> stands for the error's id, which must then be a fresh UUID.
    /// </summary>
    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response, HttpStatusCode status, string expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());

        var id = IdPattern().Match(text);
        if (expected.Contains("\"id\":\"*\"", StringComparison.Ordinal))
        {
            Assert.True(id.Success && Guid.TryParse(id.Groups["id"].Value, out _), $"expected an error id (a UUID) in {text}");
            text = string.Concat(text.AsSpan(0, id.Groups["id"].Index), "*", text.AsSpan(id.Groups["id"].Index + id.Groups["id"].Length));
        }
        else
        {
            Assert.False(id.Success, $"expected no error id in {text}");
        }

        Assert.Equal(expected, text);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Asserts a PAT's properties are exactly Unleash's, in Unleash's order.</summary>
    public static void PatShape(JsonNode? pat, bool withSecret)
    {
        string[] keys = withSecret
            ? ["id", "description", "expiresAt", "userId", "createdAt", "seenAt", "secret"]
            : ["id", "description", "expiresAt", "userId", "createdAt", "seenAt"];
        Assert.Equal(keys, pat!.AsObject().Select(p => p.Key));
    }

    /// <summary><c>toISOString()</c>: UTC, milliseconds, Z.</summary>
    public static void IsoInstant(JsonNode? value)
        => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", value!.GetValue<string>());

    [GeneratedRegex("^\\{\"id\":\"(?<id>[^\"]*)\"")]
    private static partial Regex IdPattern();
}

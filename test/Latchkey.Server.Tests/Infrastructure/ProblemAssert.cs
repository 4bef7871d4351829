using System.Net;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>Assertions on the native API's RFC 9457 answers.</summary>
public static class ProblemAssert
{
    /// <summary>Asserts the status, the problem+json media type and shape, and that nothing internal leaked.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        NoInternals(text);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(body["title"]?.GetValue<string>()), $"a problem needs a title: {text}");
        return body;
    }

    /// <summary>Asserts a 400 validation problem with an <c>errors</c> entry for <paramref name="field"/>.</summary>
    public static async Task<JsonObject> ValidationAsync(HttpResponseMessage response, string field)
    {
        var body = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = body["errors"] as JsonObject;
        Assert.True(errors is not null, $"a validation problem has errors: {body.ToJsonString()}");
        Assert.True(errors!.ContainsKey(field), $"expected an error for '{field}': {body.ToJsonString()}");
        var messages = errors[field]!.AsArray();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m!.GetValue<string>())));
        return body;
    }

    /// <summary>No stack trace, exception type or framework namespace in a response body.</summary>
    public static void NoInternals(string text)
    {
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain("System.", text);
        Assert.DoesNotContain("Microsoft.", text);
        Assert.DoesNotContain("Latchkey.", text);
        Assert.DoesNotContain(".cs:line", text);
    }

    /// <summary>The body without what differs per request by design (the trace id).</summary>
    public static string Comparable(JsonObject body)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove("traceId");
        copy.Remove("trace_id");
        return copy.ToJsonString();
    }

    /// <summary>Asserts two answers are indistinguishable: status, WWW-Authenticate and body (trace id aside).</summary>
    public static async Task SameAnswerAsync(HttpResponseMessage expected, HttpResponseMessage actual)
    {
        Assert.Equal(expected.StatusCode, actual.StatusCode);
        Assert.Equal(expected.Headers.WwwAuthenticate.ToString(), actual.Headers.WwwAuthenticate.ToString());
        Assert.Equal(expected.Content.Headers.ContentType?.ToString(), actual.Content.Headers.ContentType?.ToString());
        var a = JsonNode.Parse(await expected.Content.ReadAsStringAsync())!.AsObject();
        var b = JsonNode.Parse(await actual.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(Comparable(a), Comparable(b));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Latchkey.AspNetCore.Tests;

/// <summary>
/// An <see cref="ILatchkeyErrorWriter"/> on a route group changes the body of its 401s and 403s — never the
/// status code or the <c>WWW-Authenticate</c> header. Elsewhere the body stays RFC 9457 problem details.
/// </summary>
public sealed class ErrorWriterTests : IClassFixture<TestApp>
{
    private readonly TestApp _app;

    public ErrorWriterTests(TestApp app) => _app = app;

    private async Task<(HttpResponseMessage Default, HttpResponseMessage Custom)> BothAsync(string path, string? bearer)
    {
        var client = _app.CreateClient();
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return (await client.GetAsync(path), await client.GetAsync("/custom" + path));
    }

    private static async Task<RecordingErrorWriter.ErrorBody> CustomBodyAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<RecordingErrorWriter.ErrorBody>(JsonSerializerOptions.Web))!;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string title)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)response.StatusCode, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, body.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Missing_credential()
    {
        var (plain, custom) = await BothAsync("/whoami", null);
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, custom.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\"", plain.Headers.WwwAuthenticate.ToString());
        Assert.Equal(plain.Headers.WwwAuthenticate.ToString(), custom.Headers.WwwAuthenticate.ToString());
        await AssertProblemAsync(plain, "Authentication required");
        Assert.Equal(new RecordingErrorWriter.ErrorBody("401 custom", "MissingCredential", null), await CustomBodyAsync(custom));
    }

    [Fact]
    public async Task Invalid_token()
    {
        var (plain, custom) = await BothAsync("/whoami", "lk_not-a-real-token-at-all-000000000000000");
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, custom.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"invalid_token\"", plain.Headers.WwwAuthenticate.ToString());
        Assert.Equal(plain.Headers.WwwAuthenticate.ToString(), custom.Headers.WwwAuthenticate.ToString());
        await AssertProblemAsync(plain, "Invalid token");
        Assert.Equal(new RecordingErrorWriter.ErrorBody("401 custom", "InvalidToken", null), await CustomBodyAsync(custom));
    }

    [Fact]
    public async Task Insufficient_scope()
    {
        var (_, secret) = await _app.IssueAsync("read_api");
        var (plain, custom) = await BothAsync("/write", secret);
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, custom.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"api\"", plain.Headers.WwwAuthenticate.ToString());
        Assert.Equal(plain.Headers.WwwAuthenticate.ToString(), custom.Headers.WwwAuthenticate.ToString());
        await AssertProblemAsync(plain, "Insufficient scope");
        Assert.Equal(new RecordingErrorWriter.ErrorBody("403 custom", "InsufficientScope", "api"), await CustomBodyAsync(custom));
    }

    [Fact]
    public async Task Forbidden_for_a_non_administrator()
    {
        var (_, secret) = await _app.IssueAsync("*");
        var (plain, custom) = await BothAsync("/admin", secret);
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, custom.StatusCode);
        Assert.Empty(plain.Headers.WwwAuthenticate);
        Assert.Empty(custom.Headers.WwwAuthenticate);
        await AssertProblemAsync(plain, "Forbidden");
        Assert.Equal(new RecordingErrorWriter.ErrorBody("403 custom", "Forbidden", null), await CustomBodyAsync(custom));
    }

    [Fact]
    public async Task A_successful_request_in_the_group_is_untouched()
    {
        var (id, secret) = await _app.IssueAsync("api");
        var (plain, custom) = await BothAsync("/write", secret);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        Assert.StartsWith($"token:{id} ", await custom.Content.ReadAsStringAsync());
    }
}

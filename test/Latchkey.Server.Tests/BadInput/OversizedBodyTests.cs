using System.Net;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.BadInput;

/// <summary>
/// Bodies over the 1 MiB limit answer 413, not 500. The limit is Kestrel's, so these run on real Kestrel
/// (the in-memory test server has no request size limit). Requests say <c>Expect: 100-continue</c>, as curl does
/// for large bodies: the server refuses before the body is sent, so the client never writes into a closed socket.
/// </summary>
public sealed class OversizedBodyTests : IClassFixture<OversizedBodyTests.Factory>
{
    private readonly Factory _factory;

    public OversizedBodyTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        public Factory() => UseKestrel(0);
    }

    private const int Limit = 1024 * 1024;

    private static string Oversized(int bytes) => "{\"name\":\"" + new string('a', bytes) + "\",\"scopes\":[\"api\"]}";

    private static HttpRequestMessage Request(string method, string url, HttpContent content)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
        request.Headers.ExpectContinue = true;
        return request;
    }

    [Theory]
    [InlineData("POST", "/api/tokens")]
    [InlineData("POST", "/api/session")]
    [InlineData("POST", "/api/users")]
    [InlineData("POST", "/api/tokens/revoke")]
    [InlineData("PATCH", "/api/tokens/1")]
    [InlineData("POST", "/api/tokens/1/rotate")]
    public async Task A_body_over_one_mebibyte_is_413_with_a_problem(string method, string url)
    {
        var admin = await _factory.CreateAdminClientAsync();
        var before = await Tokens.TokenCreateTests.CountAsync(admin);
        using var request = Request(method, url, new StringContent(Oversized(2 * Limit), Encoding.UTF8, "application/json"));
        using var response = await admin.SendAsync(request);

        await ProblemAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await Tokens.TokenCreateTests.CountAsync(admin));
    }

    [Fact]
    public async Task A_chunked_body_over_one_mebibyte_is_413_too()
    {
        var admin = await _factory.CreateAdminClientAsync();
        // Without a length the server finds out only by reading, so stay just over the limit: the client has sent
        // it all by the time the server answers.
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Oversized(Limit + 100))));
        content.Headers.ContentType = new("application/json");
        using var request = Request("POST", "/api/tokens", content);
        request.Headers.TransferEncodingChunked = true;
        using var response = await admin.SendAsync(request);
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read_and_judged_on_its_content()
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var request = Request("POST", "/api/tokens", new StringContent(Oversized(Limit - 100), Encoding.UTF8, "application/json"));
        using var response = await admin.SendAsync(request);
        await ProblemAssert.ValidationAsync(response, "name");
    }

    [Fact]
    public async Task An_oversized_body_is_not_logged_as_a_server_error()
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var request = Request("POST", "/api/tokens", new StringContent(Oversized(2 * Limit), Encoding.UTF8, "application/json"));
        using var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.DoesNotContain(_factory.Logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
    }
}

using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.AspNetCore.Tests;

/// <summary><c>DetectsTokenReuse()</c>: a rotated-away credential is judged only on the endpoints that carry it.</summary>
public sealed class TokenReuseDetectionTests : IClassFixture<TestApp>
{
    private readonly TestApp _app;

    public TokenReuseDetectionTests(TestApp app) => _app = app;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string secret)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return await client.SendAsync(new HttpRequestMessage(method, path));
    }

    [Fact]
    public async Task A_token_rotated_by_another_credential_is_only_refused_elsewhere_and_a_reuse_on_a_rotate_endpoint()
    {
        var (id, secret) = await _app.IssueAsync("api");
        var successor = (await _app.Services.GetRequiredService<TokenManager>().RotateAsync(TokenActor.System, id, null, CancellationToken.None)).Value!.Secret;

        using (var elsewhere = await SendAsync(HttpMethod.Get, "/whoami", secret))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        }

        using (var stillWorks = await SendAsync(HttpMethod.Get, "/whoami", successor))
        {
            Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        }

        using (var reuse = await SendAsync(HttpMethod.Post, "/rotate-self", secret))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
            Assert.Contains("error=\"invalid_token\"", reuse.Headers.WwwAuthenticate.ToString());
        }

        using var revoked = await SendAsync(HttpMethod.Get, "/whoami", successor);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task A_token_that_rotated_itself_and_asks_again_at_once_gets_409_problem_details_and_no_challenge()
    {
        var (_, secret) = await _app.IssueAsync("api");
        using var first = await SendAsync(HttpMethod.Post, "/rotate-self", secret);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var successor = await first.Content.ReadAsStringAsync();

        using (var retry = await SendAsync(HttpMethod.Post, "/rotate-self", secret))
        {
            Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
            Assert.Equal("application/problem+json", retry.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Token already rotated", await retry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Empty(retry.Headers.WwwAuthenticate);
        }

        using var stillWorks = await SendAsync(HttpMethod.Get, "/whoami", successor);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }
}

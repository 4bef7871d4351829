using System.Net;
using System.Net.Http.Headers;

namespace Latchkey.AspNetCore.Tests;

/// <summary>Without a credential the handler steps aside (<c>NoResult</c>), so anonymous endpoints keep working.</summary>
public sealed class NoResultTests : IClassFixture<TestApp>
{
    private readonly TestApp _app;

    public NoResultTests(TestApp app) => _app = app;

    [Fact]
    public async Task An_anonymous_endpoint_answers_without_a_credential()
    {
        using var response = await _app.CreateClient().GetAsync("/open");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("anonymous", await response.Content.ReadAsStringAsync());
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task An_anonymous_endpoint_still_sees_who_calls_when_a_valid_credential_is_sent()
    {
        var (id, secret) = await _app.IssueAsync("read_user");
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.StartsWith($"token:{id} ", await client.GetStringAsync("/open"));
    }

    [Fact]
    public async Task An_invalid_credential_on_an_anonymous_endpoint_is_just_anonymous()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var response = await client.GetAsync("/open");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("anonymous", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_scheme_reports_none_without_a_credential_and_failure_with_a_bad_one()
    {
        Assert.Equal("none", await _app.CreateClient().GetStringAsync("/scheme"));

        var bad = _app.CreateClient();
        bad.DefaultRequestHeaders.TryAddWithoutValidation("PRIVATE-TOKEN", "lk_garbage");
        Assert.Equal("failure:invalid_token", await bad.GetStringAsync("/scheme"));

        var (_, secret) = await _app.IssueAsync("read_user");
        var good = _app.CreateClient();
        good.DefaultRequestHeaders.TryAddWithoutValidation("PRIVATE-TOKEN", secret);
        Assert.Equal("success", await good.GetStringAsync("/scheme"));
    }

    [Theory]
    [InlineData("Authorization", "Bearer")]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("Authorization", "Digest realm=\"x\"")]
    [InlineData("PRIVATE-TOKEN", "")]
    [InlineData("PRIVATE-TOKEN", "   ")]
    public async Task Empty_or_foreign_credentials_are_not_credentials(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/scheme");
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await _app.CreateClient().SendAsync(request);
        var verdict = await response.Content.ReadAsStringAsync();

        // "Bearer" alone has no space: it reads as a bare token and is refused as one.
        Assert.Equal(value.Trim() == "Bearer" ? "failure:invalid_token" : "none", verdict);
    }

    [Fact]
    public async Task An_empty_query_parameter_is_not_a_credential()
    {
        Assert.Equal("none", await _app.CreateClient().GetStringAsync("/scheme?private_token="));
    }
}

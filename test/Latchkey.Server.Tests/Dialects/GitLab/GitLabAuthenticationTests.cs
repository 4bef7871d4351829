using System.Net;
using System.Net.Http.Headers;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.GitLab;

/// <summary>Seed 002: the ways GitLab clients pass a token, on every <c>/api/v4</c> endpoint; and GitLab's 401/404 bodies.</summary>
[Collection(GitLabServer.Name)]
public sealed class GitLabAuthenticationTests
{
    private const string Unauthorized = """{"message":"401 Unauthorized"}""";
    private readonly LatchkeyServerFactory _factory;

    public GitLabAuthenticationTests(LatchkeyServerFactory factory) => _factory = factory;

    public static TheoryData<string, string, string> WaysAndEndpoints()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var way in new[] { "PRIVATE-TOKEN", "private_token", "Bearer", "Basic" })
        {
            data.Add(way, "GET", "/api/v4/user");
            data.Add(way, "GET", "/api/v4/users/{user}");
            data.Add(way, "GET", "/api/v4/personal_access_tokens");
            data.Add(way, "GET", "/api/v4/personal_access_tokens/self");
            data.Add(way, "GET", "/api/v4/personal_access_tokens/{token}");
            data.Add(way, "POST", "/api/v4/user/personal_access_tokens");
            data.Add(way, "POST", "/api/v4/personal_access_tokens/{token}/rotate");
            data.Add(way, "DELETE", "/api/v4/personal_access_tokens/{token}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WaysAndEndpoints))]
    public async Task Every_way_seed_002_passes_a_token_works_on_every_endpoint(string way, string method, string path)
    {
        var (userId, token) = await GitLabArrange.UserAsync(_factory);
        var target = await GitLabArrange.CreateOwnAsync(GitLabArrange.Client(_factory, token), new { name = "target", scopes = new[] { "k8s_proxy" } });
        var url = path.Replace("{user}", userId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{token}", target["id"]!.ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(new HttpMethod(method), way == "private_token" ? $"{url}?private_token={Uri.EscapeDataString(token)}" : url);
        switch (way)
        {
            case "PRIVATE-TOKEN":
                request.Headers.Add("PRIVATE-TOKEN", token);
                break;
            case "Bearer":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                break;
            case "Basic":
                // How Git over HTTP sends it: any username, the token as the password.
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"oauth2:{token}")));
                break;
        }

        if (method == "POST" && path.EndsWith("personal_access_tokens", StringComparison.Ordinal))
        {
            request.Content = GitLabArrange.Form(("name", "passed"), ("scopes[]", "k8s_proxy"));
        }

        using var response = await _factory.CreateClient().SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{way} {method} {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("glpat-not-a-token")]
    [InlineData("lk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_missing_or_unknown_token_gets_gitlabs_401(string? token)
    {
        var client = token is null ? _factory.CreateClient() : GitLabArrange.Client(_factory, token);

        using var user = await client.GetAsync("/api/v4/user");
        using var create = await client.PostAsync("/api/v4/user/personal_access_tokens", GitLabArrange.Form(("name", "x"), ("scopes[]", "k8s_proxy")));

        await GitLabArrange.AssertAnswerAsync(user, HttpStatusCode.Unauthorized, Unauthorized);
        await GitLabArrange.AssertAnswerAsync(create, HttpStatusCode.Unauthorized, Unauthorized);
    }

    [Theory]
    [InlineData("GET", "/api/v4/projects")]
    [InlineData("GET", "/api/v4/personal_access_tokens/abc")]
    [InlineData("POST", "/api/v4/user/personal_access_tokens/extra")]
    [InlineData("GET", "/api/v4")]
    public async Task A_path_gitlab_does_not_have_gets_grapes_404_with_or_without_a_token(string method, string path)
    {
        var (_, token) = await GitLabArrange.UserAsync(_factory);

        using var anonymous = await _factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var authenticated = await GitLabArrange.Client(_factory, token).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await GitLabArrange.AssertAnswerAsync(anonymous, HttpStatusCode.NotFound, """{"error":"404 Not Found"}""");
        await GitLabArrange.AssertAnswerAsync(authenticated, HttpStatusCode.NotFound, """{"error":"404 Not Found"}""");
    }

    [Fact]
    public async Task The_native_api_keeps_its_own_error_shape()
    {
        using var response = await _factory.CreateClient().GetAsync("/api/tokens");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

using System.Net;
using System.Net.Http.Headers;

namespace Latchkey.AspNetCore.Tests;

/// <summary><c>RequireAdministrator()</c>, <c>RequireScope()</c> with implication, and <c>RequireLatchkey()</c>.</summary>
public sealed class AdministratorAndScopeTests : IClassFixture<TestApp>
{
    private readonly TestApp _app;

    public AdministratorAndScopeTests(TestApp app) => _app = app;

    private async Task<HttpResponseMessage> GetAsync(string path, string secret)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return await client.GetAsync(path);
    }

    [Fact]
    public async Task An_administrators_token_passes_RequireAdministrator_with_any_scope()
    {
        var admin = await _app.CreateUserAsync(admin: true);
        var (id, secret) = await _app.IssueAsync(admin.Id, "read_user");
        using var response = await GetAsync("/admin", secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"token:{id} user:{admin.Id} admin:True", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anyone_else_gets_403_even_with_full_access_and_no_scope_is_named()
    {
        var (_, secret) = await _app.IssueAsync("*");
        using var response = await GetAsync("/admin", secret);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task RequireAdministrator_without_a_credential_is_a_401_challenge()
    {
        using var response = await _app.CreateClient().GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("/read", "read_api", true)]
    [InlineData("/read", "api", true)]
    [InlineData("/read", "*", true)]
    [InlineData("/read", "read_user", false)]
    [InlineData("/read", "write_repository", false)]
    [InlineData("/write", "api", true)]
    [InlineData("/write", "read_api", false)]
    [InlineData("/whoami", "k8s_proxy", true)]
    public async Task A_scope_is_granted_directly_or_by_implication(string path, string scope, bool allowed)
    {
        var (_, secret) = await _app.IssueAsync(scope);
        using var response = await GetAsync(path, secret);
        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
        if (!allowed)
        {
            Assert.Contains("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task A_revoked_token_is_refused_on_the_next_request()
    {
        var (id, secret) = await _app.IssueAsync("read_api");
        using (var before = await GetAsync("/read", secret))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var manager = (TokenManager)_app.Services.GetService(typeof(TokenManager))!;
        Assert.True((await manager.RevokeAsync(TokenActor.System, id, CancellationToken.None)).Succeeded);

        using var after = await GetAsync("/read", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}

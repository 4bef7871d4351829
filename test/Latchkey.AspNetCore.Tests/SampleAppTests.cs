using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Latchkey.AspNetCore.Tests;

/// <summary>samples/Latchkey.Sample, as written: a token issued by the host's own endpoint opens its protected one.</summary>
public sealed class SampleAppTests : IClassFixture<SampleAppTests.SampleFactory>
{
    private readonly SampleFactory _sample;

    public SampleAppTests(SampleFactory sample) => _sample = sample;

    public sealed class SampleFactory : WebApplicationFactory<Program>
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("latchkey-sample-tests-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Latchkey", $"Data Source={Path.Combine(_folder, "latchkey.db")}");
            builder.UseSetting("Latchkey:Hashing:KeyFile", Path.Combine(_folder, "hashing-keys.json"));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<string> IssueAsync(string user, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/tokens?scope={scope}");
        request.Headers.Add("X-Signed-In-As", user);
        using var response = await _sample.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? secret, string scheme = "Bearer")
    {
        var client = _sample.CreateClient();
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, secret);
        }

        return await client.GetAsync(path);
    }

    [Fact]
    public async Task A_token_issued_to_the_signed_in_user_opens_the_protected_endpoint_as_that_user()
    {
        var secret = await IssueAsync("alice", "reports:read");
        using var response = await GetAsync("/reports", secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("reports for user ", await response.Content.ReadAsStringAsync());

        // The same host user is the same owner the second time.
        var again = await IssueAsync("alice", "reports:read");
        using var second = await GetAsync("/reports", again);
        Assert.Equal(await response.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_token_the_protected_endpoint_answers_a_Bearer_challenge()
    {
        using var response = await GetAsync("/reports", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_without_the_scope_gets_403_naming_it()
    {
        var secret = await IssueAsync("bob", "read_api");
        using var response = await GetAsync("/reports", secret);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"reports:read\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Its_forward_auth_judges_a_request_a_proxy_forwards_with_the_same_tokens()
    {
        var secret = await IssueAsync("carol", "read_repository");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify");
        request.Headers.Add("X-Original-URI", "/demo.git/info/refs?service=git-upload-pack");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"carol:{secret}")));
        using var response = await _sample.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("carol", response.Headers.GetValues("X-Latchkey-User").Single());
    }

    [Fact]
    public async Task Git_paths_challenge_with_Basic_and_accept_the_token_as_the_password()
    {
        using var challenged = await GetAsync("/git/info/refs", null);
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal("Basic realm=\"Latchkey\"", challenged.Headers.WwwAuthenticate.ToString());

        var secret = await IssueAsync("carol", "reports:read");
        using var response = await GetAsync("/git/info/refs", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"git:{secret}")), "Basic");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

using System.Net;
using System.Text;

namespace Latchkey.AspNetCore.Tests;

/// <summary>Each position but Bearer can be switched off under <c>Latchkey:Authentication</c>; the realm is configurable.</summary>
public sealed class PositionOptionsTests : IClassFixture<PositionOptionsTests.App>
{
    private readonly App _app;

    public PositionOptionsTests(App app) => _app = app;

    public sealed class App : TestApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Authentication:AllowQueryString"] = "false",
            ["Latchkey:Authentication:AllowPrivateTokenHeader"] = "false",
            ["Latchkey:Authentication:AllowBasic"] = "false",
            ["Latchkey:Authentication:AllowBareAuthorization"] = "false",
            ["Latchkey:Authentication:Realm"] = "Acme",
        };
    }

    [Theory]
    [InlineData("PRIVATE-TOKEN", "{t}")]
    [InlineData("query", "{t}")]
    [InlineData("Authorization", "basic")]
    [InlineData("Authorization", "{t}")]
    public async Task A_switched_off_position_is_no_credential_at_all(string header, string template)
    {
        var (_, secret) = await _app.IssueAsync("read_api");
        using var request = new HttpRequestMessage(HttpMethod.Get, header == "query" ? $"/whoami?private_token={secret}" : "/whoami");
        if (header != "query")
        {
            var value = template == "basic" ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"u:{secret}")) : template.Replace("{t}", secret);
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"Acme\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Bearer_always_works_and_challenges_name_the_configured_realm()
    {
        var (id, secret) = await _app.IssueAsync("read_api");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {secret}");
        using var response = await _app.CreateClient().SendAsync(request);
        Assert.StartsWith($"token:{id} ", await response.Content.ReadAsStringAsync());

        using var bad = new HttpRequestMessage(HttpMethod.Get, "/write");
        bad.Headers.TryAddWithoutValidation("Authorization", $"Bearer {secret}");
        using var forbidden = await _app.CreateClient().SendAsync(bad);
        Assert.Equal("Bearer realm=\"Acme\", error=\"insufficient_scope\", scope=\"api\"", forbidden.Headers.WwwAuthenticate.ToString());
    }
}

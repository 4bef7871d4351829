using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Authentication;

/// <summary><c>Latchkey:Authentication:AllowQueryString=false</c> switches <c>?private_token=</c> off, nothing else.</summary>
public sealed class QueryStringDisabledTests : IClassFixture<QueryStringDisabledTests.Factory>
{
    private readonly Factory _factory;

    public QueryStringDisabledTests(Factory factory) => _factory = factory;

    public sealed class Factory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Authentication:AllowQueryString"] = "false",
        };
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_ignored_as_if_there_were_none()
    {
        var secret = (await (await _factory.CreateAdminClientAsync()).CreateTokenAsync(new { name = "q", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();
        using var response = await _factory.CreateClient().GetAsync($"/api/tokens/self?private_token={secret}");
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("Authorization", "Bearer {t}")]
    [InlineData("PRIVATE-TOKEN", "{t}")]
    [InlineData("Authorization", "basic:u:{t}")]
    [InlineData("Authorization", "{t}")]
    public async Task Headers_still_work(string header, string template)
    {
        var secret = (await (await _factory.CreateAdminClientAsync()).CreateTokenAsync(new { name = "h", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();
        using var request = CredentialPositionTests.Build(header, template, secret);
        using var response = await _factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

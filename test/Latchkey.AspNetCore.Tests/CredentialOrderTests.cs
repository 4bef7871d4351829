using System.Net;
using System.Text;

namespace Latchkey.AspNetCore.Tests;

/// <summary>
/// The handler reads one credential, in this order: <c>Authorization: Bearer</c>, <c>PRIVATE-TOKEN</c>,
/// <c>?private_token=</c>, HTTP Basic (the password), and a bare <c>Authorization</c> value.
/// </summary>
public sealed class CredentialOrderTests : IClassFixture<TestApp>
{
    private readonly TestApp _app;

    public CredentialOrderTests(TestApp app) => _app = app;

    public enum Position
    {
        Bearer,
        PrivateToken,
        Query,
        Basic,
        Bare,
    }

    private static void Put(HttpRequestMessage request, Position position, string secret)
    {
        switch (position)
        {
            case Position.Bearer:
                request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {secret}");
                break;
            case Position.PrivateToken:
                request.Headers.TryAddWithoutValidation("PRIVATE-TOKEN", secret);
                break;
            case Position.Query:
                request.RequestUri = new Uri($"{request.RequestUri!.OriginalString}?private_token={secret}", UriKind.Relative);
                break;
            case Position.Basic:
                request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"anyone:{secret}")));
                break;
            case Position.Bare:
                request.Headers.TryAddWithoutValidation("Authorization", secret);
                break;
        }
    }

    [Theory]
    [InlineData(Position.Bearer)]
    [InlineData(Position.PrivateToken)]
    [InlineData(Position.Query)]
    [InlineData(Position.Basic)]
    [InlineData(Position.Bare)]
    public async Task Each_position_works_alone(Position position)
    {
        var (id, secret) = await _app.IssueAsync("read_api");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        Put(request, position, secret);
        using var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"token:{id} ", await response.Content.ReadAsStringAsync());
    }

    // Pairs that can travel together (Bearer, Basic and bare all live in the one Authorization header).
    [Theory]
    [InlineData(Position.Bearer, Position.PrivateToken)]
    [InlineData(Position.Bearer, Position.Query)]
    [InlineData(Position.PrivateToken, Position.Query)]
    [InlineData(Position.PrivateToken, Position.Basic)]
    [InlineData(Position.PrivateToken, Position.Bare)]
    [InlineData(Position.Query, Position.Basic)]
    [InlineData(Position.Query, Position.Bare)]
    public async Task The_earlier_position_wins(Position earlier, Position later)
    {
        var first = await _app.IssueAsync("read_api");
        var second = await _app.IssueAsync("read_api");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        Put(request, earlier, first.Secret);
        Put(request, later, second.Secret);
        using var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"token:{first.Id} ", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Position.Bearer, Position.PrivateToken)]
    [InlineData(Position.PrivateToken, Position.Query)]
    [InlineData(Position.Query, Position.Basic)]
    public async Task A_bad_credential_in_an_earlier_position_is_not_rescued_by_a_good_later_one(Position earlier, Position later)
    {
        var good = await _app.IssueAsync("read_api");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        Put(request, earlier, good.Secret[..^1] + (good.Secret[^1] == 'a' ? 'b' : 'a'));
        Put(request, later, good.Secret);
        using var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }
}

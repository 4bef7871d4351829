using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Tokens;

/// <summary>
/// A client that lost the answer to its own rotation and asks again: within <c>Latchkey:Tokens:RotationRetryWindow</c>
/// it gets 409 and keeps its family; after it, the same request is a reuse.
/// </summary>
public sealed class TokenRotationRetryTests : IClassFixture<AdjustableClockServerFactory>
{
    private readonly AdjustableClockServerFactory _factory;

    public TokenRotationRetryTests(AdjustableClockServerFactory factory) => _factory = factory;

    [Theory]
    [InlineData("/api/tokens/self/rotate")]
    [InlineData("/api/tokens/{id}/rotate")]
    public async Task A_token_that_rotated_itself_and_asks_again_within_the_window_gets_409_and_keeps_its_successor(string path)
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var old = await client.CreateTokenAsync(new { name = "retrying", scopes = new[] { "api" } });
        var url = path.Replace("{id}", old["id"]!.ToString(), StringComparison.Ordinal);
        var self = _factory.CreateClient(old["token"]!.GetValue<string>());
        using var first = await self.PostAsync(url, null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var successor = (await first.JsonAsync())!["token"]!.GetValue<string>();
        _factory.Clock.Advance(TimeSpan.FromSeconds(50));

        using (var retry = await self.PostAsync(url, null))
        {
            var body = await ProblemAssert.ProblemAsync(retry, HttpStatusCode.Conflict);
            Assert.Equal("Token already rotated", body["title"]!.GetValue<string>());
            Assert.Empty(retry.Headers.WwwAuthenticate);
            Assert.DoesNotContain("lk_", body.ToJsonString());
        }

        using (var works = await _factory.CreateClient(successor).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        // Past the window the same request is a reuse: the family goes.
        _factory.Clock.Advance(TimeSpan.FromSeconds(11));
        using (var late = await self.PostAsync(url, null))
        {
            await ProblemAssert.ProblemAsync(late, HttpStatusCode.Unauthorized);
        }

        using var revoked = await _factory.CreateClient(successor).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task A_token_rotated_by_a_session_is_a_reuse_at_once_on_a_rotate_endpoint()
    {
        var client = _factory.CreateClient(await _factory.CreateUserAsync());
        var old = await client.CreateTokenAsync(new { name = "rotated by the owner", scopes = new[] { "api" } });
        using var rotate = await client.PostAsync($"/api/tokens/{old["id"]}/rotate", null);
        var successor = (await rotate.JsonAsync())!["token"]!.GetValue<string>();

        using (var reuse = await _factory.CreateClient(old["token"]!.GetValue<string>()).PostAsync("/api/tokens/self/rotate", null))
        {
            await ProblemAssert.ProblemAsync(reuse, HttpStatusCode.Unauthorized);
        }

        using var revoked = await _factory.CreateClient(successor).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Tokens;

/// <summary>
/// Concurrent rotations of one token over real HTTP (Kestrel, one connection per request): exactly one wins and its
/// new token keeps working; every other gets 409 and revokes nothing.
/// </summary>
public sealed class TokenRotationRaceTests : IClassFixture<LiveServerFactory>
{
    private readonly LiveServerFactory _factory;

    public TokenRotationRaceTests(LiveServerFactory factory) => _factory = factory;

    [Theory]
    [InlineData("/api/tokens/self/rotate", true)]
    [InlineData("/api/tokens/{id}/rotate", true)]
    [InlineData("/api/tokens/{id}/rotate", false)]
    [InlineData("/api/v4/personal_access_tokens/self/rotate", true)]
    [InlineData("/api/v4/personal_access_tokens/{id}/rotate", false)]
    public async Task Of_fifty_parallel_rotations_exactly_one_succeeds_and_its_token_keeps_working(string path, bool byTheTokenItself)
    {
        var (owner, token, bystander) = await ArrangeAsync();
        var credential = byTheTokenItself ? token["token"]!.GetValue<string>() : owner.Session;

        var answers = await RotateInParallelAsync(50, path.Replace("{id}", token["id"]!.ToString(), StringComparison.Ordinal), credential);

        var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a != winner), a => Assert.True(a.Status == HttpStatusCode.Conflict, $"a losing rotation answered {(int)a.Status}: {a.Body}"));
        await AssertOnlyTheWinnerAndBystanderAreLiveAsync(owner, token, winner, bystander);
    }

    [Fact]
    public async Task Two_parallel_self_rotations_repeated_never_cost_the_winner_its_token()
    {
        var owner = await _factory.CreateUserAsync();
        for (var round = 0; round < 30; round++)
        {
            var (_, token, bystander) = await ArrangeAsync(owner);

            var answers = await RotateInParallelAsync(2, "/api/tokens/self/rotate", token["token"]!.GetValue<string>());

            var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Conflict, answers.Single(a => a != winner).Status);
            await AssertOnlyTheWinnerAndBystanderAreLiveAsync(owner, token, winner, bystander);
        }
    }

    private async Task<(TestUser Owner, JsonObject Token, JsonObject Bystander)> ArrangeAsync(TestUser? owner = null)
    {
        owner ??= await _factory.CreateUserAsync();
        var client = _factory.CreateClient(owner);
        var family = Guid.NewGuid().ToString("N");
        var token = await client.CreateTokenAsync(new { name = $"{family} raced", scopes = new[] { "api" } });
        var bystander = await client.CreateTokenAsync(new { name = $"{family} bystander", scopes = new[] { "api" } });
        return (owner, token, bystander);
    }

    private async Task<Answer[]> RotateInParallelAsync(int count, string url, string credential)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, count).Select(async _ =>
        {
            using var client = _factory.CreateClient(credential);
            await start.WaitAsync();
            using var response = await client.PostAsync(url, null);
            return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToArray();
        start.Release(count);
        return await Task.WhenAll(requests);
    }

    private async Task AssertOnlyTheWinnerAndBystanderAreLiveAsync(TestUser owner, JsonObject token, Answer winner, JsonObject bystander)
    {
        var issued = JsonNode.Parse(winner.Body)!;
        foreach (var secret in new[] { issued["token"]!.GetValue<string>(), bystander["token"]!.GetValue<string>() })
        {
            using var works = await _factory.CreateClient(secret).GetAsync("/api/tokens/self");
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        var family = token["name"]!.GetValue<string>().Split(' ')[0];
        using var list = await _factory.CreateClient(owner).GetAsync($"/api/tokens?sort=id_asc&search={family}");
        var listed = (await list.JsonAsync())!.AsArray().Select(t => (Id: t!["id"]!.GetValue<long>(), Revoked: t["revoked"]!.GetValue<bool>())).ToArray();
        Assert.Equal(
            new[] { (token["id"]!.GetValue<long>(), true), (bystander["id"]!.GetValue<long>(), false), (issued["id"]!.GetValue<long>(), false) },
            listed);
    }

    private sealed record Answer(HttpStatusCode Status, string Body);
}

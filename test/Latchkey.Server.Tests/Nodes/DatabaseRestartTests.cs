using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Durability;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Testing;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Nodes;

/// <summary>
/// Two real server processes while their PostgreSQL server is stopped and started again (a fast shutdown, as for an
/// upgrade or a fail-over): every answer during and after is recorded, none is a 500 or a 401 for a valid credential,
/// whatever needs the store answers 503 while a token a node had validated keeps working from its cache, both nodes
/// recover by themselves, and everything a client was told was done is still done afterwards. The cluster is
/// this class's own, so stopping it disturbs no other test.
/// </summary>
[LongRunning]
public sealed class DatabaseRestartTests(TwoNodesOnOwnCluster nodes, ITestOutputHelper output) : IClassFixture<TwoNodesOnOwnCluster>
{
    private const string SelfWithCachedToken = "self with a cached token";

    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    private readonly List<(string Node, string Call, int Status)> _answers = [];
    private readonly Dictionary<long, string> _created = [];
    private readonly HashSet<long> _revoked = [];

    [Fact]
    public async Task PostgreSQL_stopped_and_started_again_gives_503s_then_recovery_with_no_500_and_nothing_acknowledged_lost()
    {
        using var user = await nodes.NewUserAsync();
        var (onA, onB) = user;
        // Before: a token from each node, and one made on A and revoked on B; one token for each node to revoke later.
        var fromA = await CreateAsync("A", onA, "from A", HttpStatusCode.Created);
        var fromB = await CreateAsync("B", onB, "from B", HttpStatusCode.Created);
        var doomed = await CreateAsync("A", onA, "doomed", HttpStatusCode.Created);
        await RevokeAsync("B", onB, doomed!.Value);

        // fromA is in both nodes' caches; fromB in neither.
        using var fromAOnA = nodes.A.CreateClient().WithBearer(_created[fromA!.Value]);
        using var fromAOnB = nodes.B.CreateClient().WithBearer(_created[fromA.Value]);
        Assert.Equal(HttpStatusCode.OK, (await fromAOnA.GetAsync("/api/tokens/self")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fromAOnB.GetAsync("/api/tokens/self")).StatusCode);
        var clients = new[]
        {
            new Clients("A", nodes.A, onA, fromAOnA, _created[fromB!.Value], (await CreateAsync("A", onA, "A revokes", HttpStatusCode.Created))!.Value),
            new Clients("B", nodes.B, onB, fromAOnB, _created[fromB.Value], (await CreateAsync("B", onB, "B revokes", HttpStatusCode.Created))!.Value),
        };

        var before = _answers.Count;
        await nodes.Cluster.StopServerAsync();
        var down = Stopwatch.StartNew();
        while (down.Elapsed < Outage)
        {
            foreach (var node in clients)
            {
                await TrafficAsync(node);
            }

            await Task.Delay(100);
        }

        var during = _answers.Skip(before).ToList();
        AssertNoneUnexpected(during, "while PostgreSQL was stopped");
        // Whatever needs the store is refused for now; the token each node had validated keeps working from its cache.
        Assert.Equal(["A", "B"], during.Select(answer => answer.Node).Distinct().Order());
        Assert.All(during, answer => Assert.Equal(answer.Call == SelfWithCachedToken ? 200 : 503, answer.Status));

        await nodes.Cluster.StartServerAsync();
        var back = Stopwatch.StartNew();
        var recovered = new Dictionary<string, TimeSpan>();
        while (recovered.Count < 2)
        {
            Assert.True(back.Elapsed < RecoveryLimit, $"Not recovered {RecoveryLimit.TotalSeconds} s after PostgreSQL started again: {Describe(_answers.Skip(before + during.Count))}");
            foreach (var node in clients.Where(node => !recovered.ContainsKey(node.Name)))
            {
                if (await TrafficAsync(node))
                {
                    recovered[node.Name] = back.Elapsed;
                }
            }

            await Task.Delay(100);
        }

        output.WriteLine($"answers while down: {during.Count}; recovered after PostgreSQL started: A {recovered["A"].TotalMilliseconds:0} ms, B {recovered["B"].TotalMilliseconds:0} ms");
        output.WriteLine(Describe(_answers.Skip(before)));
        AssertNoneUnexpected(_answers, "while PostgreSQL was stopped or starting again");

        // Nothing acknowledged lost: every token a node answered 201 for is on both nodes, revoked exactly when a revoke
        // was answered 204, and its secret is accepted or refused accordingly by both.
        Assert.True(_created.Count >= 5, $"only {_created.Count} tokens created");
        foreach (var (id, secret) in _created)
        {
            var revoked = _revoked.Contains(id);
            foreach (var node in clients)
            {
                var token = await node.Session.GetFromJsonAsync<JsonObject>($"/api/tokens/{id}");
                Assert.Equal(revoked, token!["revoked"]!.GetValue<bool>());
                Assert.Equal(revoked ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, await NodeAssert.SelfAsync(node.Node.Address, secret));
            }
        }

        // Each node listens again, and a revoke on A reaches B's cache as before the restart.
        await nodes.WaitForListenerAsync("node-a");
        await nodes.WaitForListenerAsync("node-b");
        using var timing = await TimingSensitiveLock.AcquireAsync();
        var after = await CreateAsync("A", onA, "after", HttpStatusCode.Created);
        using var afterOnB = nodes.B.CreateClient().WithBearer(_created[after!.Value]);
        Assert.Equal(HttpStatusCode.OK, (await afterOnB.GetAsync("/api/tokens/self")).StatusCode);
        await RevokeAsync("A", onA, after.Value);
        await NodeAssert.RefusedWithinAsync(afterOnB, Stopwatch.StartNew(), TimeSpan.FromSeconds(1), "A revoked it after the restart");
    }

    /// <summary>The clients of one node the traffic uses, and what it has achieved on it.</summary>
    private sealed record Clients(string Name, ServerProcess Node, HttpClient Session, HttpClient Cached, string Unseen, long ToRevoke)
    {
        public bool CreatedAfterwards { get; set; }
    }

    /// <summary>
    /// One round of what clients of a node do, every answer recorded: create a token with a session (until one is
    /// created), revoke a token (until it is), list with a token the node had never seen before, read the current
    /// token with a cached one, ask whether the node is ready. True once the node has created and is ready.
    /// </summary>
    private async Task<bool> TrafficAsync(Clients node)
    {
        if (!node.CreatedAfterwards)
        {
            node.CreatedAfterwards = await CreateAsync(node.Name, node.Session, $"{node.Name} {_answers.Count}", expected: null) is not null;
        }

        if (!_revoked.Contains(node.ToRevoke))
        {
            using var revoke = await SendAsync(node.Name, "revoke", () => node.Session.DeleteAsync($"/api/tokens/{node.ToRevoke}"));
            if (revoke?.StatusCode == HttpStatusCode.NoContent)
            {
                _revoked.Add(node.ToRevoke);
            }
        }

        using (var unseen = node.Node.CreateClient().WithBearer(node.Unseen))
        using (await SendAsync(node.Name, "list with an uncached token", () => unseen.GetAsync("/api/tokens")))
        {
        }

        using (await SendAsync(node.Name, SelfWithCachedToken, () => node.Cached.GetAsync("/api/tokens/self")))
        {
        }

        using var probe = node.Node.CreateClient();
        using var ready = await SendAsync(node.Name, "ready", () => probe.GetAsync("/health/ready"));
        return node.CreatedAfterwards && ready?.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>Creates a token; its id if the node answered 201 (then it is acknowledged), else null.</summary>
    private async Task<long?> CreateAsync(string name, HttpClient session, string tokenName, HttpStatusCode? expected)
    {
        using var answer = await SendAsync(name, "create", () => session.PostAsJsonAsync("/api/tokens", new { name = tokenName, scopes = new[] { "api" } }));
        if (expected is not null)
        {
            Assert.Equal(expected, answer?.StatusCode);
        }

        if (answer?.StatusCode != HttpStatusCode.Created)
        {
            return null;
        }

        var body = (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = body["id"]!.GetValue<long>();
        _created[id] = body["token"]!.GetValue<string>();
        return id;
    }

    private async Task RevokeAsync(string name, HttpClient session, long id)
    {
        using var answer = await SendAsync(name, "revoke", () => session.DeleteAsync($"/api/tokens/{id}"));
        Assert.Equal(HttpStatusCode.NoContent, answer?.StatusCode);
        _revoked.Add(id);
    }

    /// <summary>Sends a request and records its status (0 when it got no answer within the client's timeout).</summary>
    private async Task<HttpResponseMessage?> SendAsync(string node, string call, Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            var answer = await send();
            _answers.Add((node, call, (int)answer.StatusCode));
            return answer;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
        {
            _answers.Add((node, call, 0));
            return null;
        }
    }

    /// <summary>A store outage may answer 503 or, from the cache, 200; never a 500, a 401 for a valid credential, or nothing.</summary>
    private static void AssertNoneUnexpected(IEnumerable<(string Node, string Call, int Status)> answers, string when)
    {
        var unexpected = answers.Where(answer => answer.Status is not (200 or 201 or 204 or 503)).ToList();
        Assert.True(unexpected.Count == 0, $"Unexpected answers {when}: {Describe(unexpected)}");
    }

    private static string Describe(IEnumerable<(string Node, string Call, int Status)> answers)
        => string.Join("; ", answers
            .GroupBy(answer => (answer.Node, answer.Call, answer.Status))
            .Select(group => $"{group.Key.Node} {group.Key.Call} {group.Key.Status} x{group.Count()}"));
}

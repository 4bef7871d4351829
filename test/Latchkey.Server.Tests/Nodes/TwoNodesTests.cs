using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Nodes;

/// <summary>
/// Two real server processes on one PostgreSQL database, as behind a load balancer: what one node writes, the other
/// honours — at once for a new token, within a second for a revoke or a rotation although the other node had the token
/// in its cache, exactly at the cap for creates racing on both, and after the listening connection was killed; and
/// the shipped nginx file in front of both.
/// </summary>
[LongRunning]
public sealed class TwoNodesTests(TwoNodes nodes, ITestOutputHelper output) : IClassFixture<TwoNodes>
{
    /// <summary>The promise of the issue and of docs/deployment.md, from the change's answer to the other node's first 401.</summary>
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_token_created_on_A_works_on_B_and_once_revoked_on_A_is_refused_by_B_within_a_second()
    {
        using var timing = await TimingSensitiveLock.AcquireAsync();
        using var user = await nodes.NewUserAsync();
        var (onA, onB) = user;
        var created = await onA.CreateTokenAsync(new { name = "shared", scopes = new[] { "api" } });
        using var tokenOnB = nodes.B.CreateClient().WithBearer(created["token"]!.GetValue<string>());

        // No wait: B reads a token it has never seen from the database.
        using (var self = await tokenOnB.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
            Assert.Equal(created["id"]!.GetValue<long>(), (await self.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>());
        }

        using (var revoke = await onA.DeleteAsync($"/api/tokens/{created["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        var took = await NodeAssert.RefusedWithinAsync(tokenOnB, Stopwatch.StartNew(), Propagation, "A revoked it");
        output.WriteLine($"revoke on A -> 401 on B: {took.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_token_rotated_on_B_is_refused_by_A_within_a_second_and_its_replacement_works_on_A()
    {
        using var timing = await TimingSensitiveLock.AcquireAsync();
        using var user = await nodes.NewUserAsync();
        var (onA, onB) = user;
        var created = await onA.CreateTokenAsync(new { name = "rotating", scopes = new[] { "api" } });
        using var oldOnA = nodes.A.CreateClient().WithBearer(created["token"]!.GetValue<string>());
        using (var self = await oldOnA.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        }

        string replacement;
        using (var rotate = await onB.PostAsync($"/api/tokens/{created["id"]}/rotate", null))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
            replacement = (await rotate.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        }

        var took = await NodeAssert.RefusedWithinAsync(oldOnA, Stopwatch.StartNew(), Propagation, "B rotated it");
        output.WriteLine($"rotate on B -> old value 401 on A: {took.TotalMilliseconds:0} ms");
        Assert.Equal(HttpStatusCode.OK, await NodeAssert.SelfAsync(nodes.A.Address, replacement));
    }

    [Fact]
    public async Task Creates_racing_on_both_nodes_stop_exactly_at_the_cap()
    {
        using var user = await nodes.NewUserAsync();
        var (onA, onB) = user;
        const int PerNode = TwoNodes.TokenCap - 2; // 16 requests for 10 places
        var creates = Enumerable.Range(0, PerNode)
            .SelectMany(i => new[] { CreateAsync(onA, $"a{i}"), CreateAsync(onB, $"b{i}") })
            .ToList();
        var answers = await Task.WhenAll(creates);

        Assert.Equal(TwoNodes.TokenCap, answers.Count(answer => answer.Status == HttpStatusCode.Created));
        var refused = answers.Where(answer => answer.Status != HttpStatusCode.Created).ToList();
        Assert.Equal(2 * PerNode - TwoNodes.TokenCap, refused.Count);
        Assert.All(refused, answer =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
            Assert.Equal("Token limit reached", answer.Body["title"]!.GetValue<string>());
        });

        // Both nodes see the same ten tokens, and one more create is refused on either.
        var created = answers.Where(answer => answer.Status == HttpStatusCode.Created).Select(answer => answer.Body["id"]!.GetValue<long>()).Order().ToList();
        foreach (var client in new[] { onA, onB })
        {
            var listed = (await client.GetFromJsonAsync<JsonArray>("/api/tokens"))!.Select(token => token!["id"]!.GetValue<long>()).Order().ToList();
            Assert.Equal(created, listed);
            Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(client, "one more")).Status);
        }
    }

    [Fact]
    public async Task After_Bs_listening_connection_is_terminated_a_revoke_on_A_still_reaches_B()
    {
        using var timing = await TimingSensitiveLock.AcquireAsync();
        using var user = await nodes.NewUserAsync();
        var (onA, onB) = user;
        var first = await onA.CreateTokenAsync(new { name = "first", scopes = new[] { "api" } });
        var second = await onA.CreateTokenAsync(new { name = "second", scopes = new[] { "api" } });
        using var firstOnB = nodes.B.CreateClient().WithBearer(first["token"]!.GetValue<string>());
        using (var self = await firstOnB.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        }

        var listener = await nodes.WaitForListenerAsync("node-b");
        var listenerOfA = await nodes.WaitForListenerAsync("node-a");
        await using (var connection = new NpgsqlConnection(nodes.ConnectionString))
        {
            Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT pg_terminate_backend(@Pid)", new { Pid = listener }));
        }

        // Right away, while B may not even have noticed: what goes by unheard, the cleared cache makes up for.
        using (var revoke = await onA.DeleteAsync($"/api/tokens/{first["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        // B notices the drop at once, waits 0.25 s and listens again.
        var took = await NodeAssert.RefusedWithinAsync(firstOnB, Stopwatch.StartNew(), TimeSpan.FromSeconds(3), "A revoked it (B's listener terminated)");
        output.WriteLine($"listener of B terminated, revoke on A -> 401 on B: {took.TotalMilliseconds:0} ms");

        // B listens on a new connection and hears the next revoke as it happens; A's was left alone.
        Assert.NotEqual(listener, await nodes.WaitForListenerAsync("node-b", not: listener));
        Assert.Equal(listenerOfA, await nodes.ListenerAsync("node-a"));
        using var secondOnB = nodes.B.CreateClient().WithBearer(second["token"]!.GetValue<string>());
        using (var self = await secondOnB.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        }

        using (var revoke = await onA.DeleteAsync($"/api/tokens/{second["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        took = await NodeAssert.RefusedWithinAsync(secondOnB, Stopwatch.StartNew(), Propagation, "A revoked it (B listening again)");
        output.WriteLine($"B listening again, revoke on A -> 401 on B: {took.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Through_the_shipped_nodes_conf_a_token_created_works_on_both_nodes_and_once_revoked_is_refused_by_both()
    {
        using var timing = await TimingSensitiveLock.AcquireAsync();
        using var nginx = await NginxInFrontOfNodes.StartAsync(nodes.A, nodes.B);
        using var throughNginx = nginx.CreateClient();
        string token;
        long id;
        try
        {
            throughNginx.WithBearer(await throughNginx.SignInAsync("admin", TwoNodes.AdminPassword));
            var created = await throughNginx.CreateTokenAsync(new { name = "behind nginx", scopes = new[] { "read_api" } });
            token = created["token"]!.GetValue<string>();
            id = created["id"]!.GetValue<long>();
        }
        catch (Exception failure) when (failure is not TimeoutException)
        {
            throw new InvalidOperationException($"Signing in and creating through nginx failed.\n{nginx.Diagnostics()}", failure);
        }

        using (var throughNginxWithToken = nginx.CreateClient().WithBearer(token))
        using (var self = await throughNginxWithToken.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        }

        // Each node, asked directly, accepts it (and so holds it in its cache).
        using var onA = nodes.A.CreateClient().WithBearer(token);
        using var onB = nodes.B.CreateClient().WithBearer(token);
        foreach (var node in new[] { onA, onB })
        {
            using var self = await node.GetAsync("/api/tokens/self");
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        }

        using (var revoke = await throughNginx.DeleteAsync($"/api/tokens/{id}"))
        {
            Assert.True(revoke.StatusCode == HttpStatusCode.NoContent, $"revoke through nginx answered {(int)revoke.StatusCode}\n{nginx.Diagnostics()}");
        }

        var revoked = Stopwatch.StartNew();
        await Task.WhenAll(
            NodeAssert.RefusedWithinAsync(onA, revoked, Propagation, "it was revoked through nginx"),
            NodeAssert.RefusedWithinAsync(onB, revoked, Propagation, "it was revoked through nginx"));
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> CreateAsync(HttpClient client, string name)
    {
        using var answer = await client.PostAsJsonAsync("/api/tokens", new { name, scopes = new[] { "read_api" } });
        return (answer.StatusCode, (await answer.Content.ReadFromJsonAsync<JsonObject>())!);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Testing;
using Microsoft.Data.Sqlite;

namespace Latchkey.Server.Tests.Durability;

/// <summary>
/// Two real server processes on one SQLite file, as behind a load balancer: a revocation (or a block of the owner)
/// answered by one is refused by the other within a second, although the other had the token in its cache.
/// </summary>
[LongRunning]
public sealed class TwoProcessRevocationTests : IDisposable
{
    private const string AdminPassword = "two-nodes-horse-battery-staple";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("latchkey-two-nodes-").FullName;
    private readonly List<ServerProcess> _servers = [];

    // "Within a second" is wall-clock time: measured while no other test project runs Chromium on the same cores.
    private TimingSensitiveLock? _timingLock;

    [Fact]
    public async Task A_token_revoked_on_one_process_is_refused_by_another_within_a_second()
    {
        _timingLock = await TimingSensitiveLock.AcquireAsync();
        // One after the other: the first creates the schema, the hashing key and the administrator.
        var a = await StartAsync();
        var b = await StartAsync();
        using var adminOnA = a.CreateClient();
        adminOnA.WithBearer(await adminOnA.SignInAsync("admin", AdminPassword));
        long id;
        string secret;
        using (var create = await adminOnA.PostAsJsonAsync("/api/tokens", new { name = "shared", scopes = new[] { "api" } }))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            var created = (await create.Content.ReadFromJsonAsync<JsonObject>())!;
            id = created["id"]!.GetValue<long>();
            secret = created["token"]!.GetValue<string>();
        }

        // B validates it and keeps it in its cache.
        using var onB = b.CreateClient().WithBearer(secret);
        using (var accepted = await onB.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var revoke = await adminOnA.DeleteAsync($"/api/tokens/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await AssertRefusedWithinASecondAsync(onB, "revoked the token");
    }

    [Fact]
    public async Task A_user_blocked_on_one_process_has_their_token_refused_by_another_within_a_second()
    {
        _timingLock = await TimingSensitiveLock.AcquireAsync();
        var a = await StartAsync();
        var b = await StartAsync();
        using var adminOnA = a.CreateClient();
        adminOnA.WithBearer(await adminOnA.SignInAsync("admin", AdminPassword));
        long userId;
        using (var create = await adminOnA.PostAsJsonAsync("/api/users", new { username = "grace", password = "a-perfectly-fine-passphrase" }))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            userId = (await create.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        }

        using var graceOnA = a.CreateClient();
        graceOnA.WithBearer(await graceOnA.SignInAsync("grace", "a-perfectly-fine-passphrase"));
        var secret = (await graceOnA.CreateTokenAsync(new { name = "ci", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>();
        using var onB = b.CreateClient().WithBearer(secret);
        using (var accepted = await onB.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var block = await adminOnA.PostAsync($"/api/users/{userId}/block", null))
        {
            Assert.Equal(HttpStatusCode.OK, block.StatusCode);
        }

        await AssertRefusedWithinASecondAsync(onB, "blocked its owner");
    }

    private static async Task AssertRefusedWithinASecondAsync(HttpClient onB, string what)
    {
        var changedAt = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var answer = await onB.GetAsync("/api/tokens/self");
            status = answer.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                break;
            }

            await Task.Delay(25);
        }
        while (changedAt.Elapsed < TimeSpan.FromSeconds(1));

        Assert.True(status == HttpStatusCode.Unauthorized, $"B still answered {(int)status} {changedAt.ElapsedMilliseconds} ms after A {what}");
    }

    public void Dispose()
    {
        _timingLock?.Dispose();
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<ServerProcess> StartAsync()
    {
        var server = await ServerProcess.StartAsync(_dataDirectory, AdminPassword);
        _servers.Add(server);
        return server;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Latchkey.Server.Tests.Durability;

/// <summary>
/// What the server answered 2xx to is on disk: the real server process is killed with SIGKILL the instant after a
/// create and after a revoke, and restarted on the same files.
/// </summary>
[LongRunning]
public sealed class KillNineTests : IDisposable
{
    private const string AdminPassword = "durable-horse-battery-staple";
    private const string MigrationLogLine = "Applied database migration";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("latchkey-durability-").FullName;
    private ServerProcess? _server;

    [Fact]
    public async Task A_created_token_and_its_revocation_survive_kill_9_the_instant_after_they_were_answered()
    {
        // First life: create a token, then die before anything else can happen.
        var first = await StartAsync();
        var session = await SignInAsync(first);
        long id;
        string secret;
        using (var admin = Client(first, session))
        using (var create = await admin.PostAsJsonAsync("/api/tokens", new { name = "durable", scopes = new[] { "api" } }))
        {
            Assert.True(create.IsSuccessStatusCode, $"create answered {(int)create.StatusCode}");
            var created = (await create.Content.ReadFromJsonAsync<JsonObject>())!;
            id = created["id"]!.GetValue<long>();
            secret = created["token"]!.GetValue<string>();
            first.Kill();
        }

        var firstOutput = first.Output;
        var restartedAt = DateTimeOffset.UtcNow;

        // Second life: the token authenticates; revoke it and die again at once.
        var second = await StartAsync();
        await AssertReadyAsync(second);
        using (var withToken = Client(second, secret))
        using (var self = await withToken.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
            Assert.Equal(id, (await self.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>());
        }

        using (var admin = Client(second, session))
        using (var revoke = await admin.DeleteAsync($"/api/tokens/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
            second.Kill();
        }

        var secondOutput = second.Output;

        // Third life: the revocation held.
        var third = await StartAsync();
        await AssertReadyAsync(third);
        using (var withToken = Client(third, secret))
        using (var refused = await withToken.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var admin = Client(third, session))
        using (var listed = await admin.GetAsync($"/api/tokens/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.True((await listed.Content.ReadFromJsonAsync<JsonObject>())!["revoked"]!.GetValue<bool>());
        }

        third.Kill();

        // The schema was migrated by the first start only; the restarts found nothing to apply.
        var migrations = EmbeddedMigrationCount();
        Assert.Equal(migrations, CountOccurrences(firstOutput, MigrationLogLine));
        Assert.Equal(0, CountOccurrences(secondOutput, MigrationLogLine));
        Assert.Equal(0, CountOccurrences(third.Output, MigrationLogLine));
        var applied = ReadAppliedMigrations();
        Assert.Equal(migrations, applied.Count);
        Assert.All(applied, appliedAt => Assert.True(appliedAt < restartedAt, $"a migration was applied at {appliedAt:O}, after the first start"));
    }

    public void Dispose()
    {
        _server?.Dispose();
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
        _server?.Dispose();
        _server = null;
        _server = await ServerProcess.StartAsync(_dataDirectory, AdminPassword);
        return _server;
    }

    private static HttpClient Client(ServerProcess server, string token) => server.CreateClient().WithBearer(token);

    private static async Task<string> SignInAsync(ServerProcess server)
    {
        using var client = server.CreateClient();
        return await client.SignInAsync("admin", AdminPassword);
    }

    private static async Task AssertReadyAsync(ServerProcess server)
    {
        using var client = server.CreateClient();
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static int EmbeddedMigrationCount()
        => typeof(SqliteStoreOptions).Assembly.GetManifestResourceNames().Count(name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal));

    private List<DateTimeOffset> ReadAppliedMigrations()
    {
        var path = Path.Combine(_dataDirectory, "latchkey.db");
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT applied_at FROM schema_migrations ORDER BY version";
        using var reader = command.ExecuteReader();
        var applied = new List<DateTimeOffset>();
        while (reader.Read())
        {
            applied.Add(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)));
        }

        return applied;
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

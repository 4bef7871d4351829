using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dapper;
using Latchkey.Server.Tests.Durability;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Testing;
using Npgsql;

namespace Latchkey.Server.Tests.Nodes;

/// <summary>
/// Two real server processes, node A and node B, on one PostgreSQL database of their own, as a deployment runs them
/// behind a load balancer: the same hashing key given in the environment, each its own data folder (nothing on disk
/// is shared), each its own <c>Application Name</c> (<c>node-a</c>, <c>node-b</c>) so a test can find a node's
/// listening connection in <c>pg_stat_activity</c>. They start at once, as nodes do: one migrates and creates the
/// administrator, the other waits for the migration lock and finds both done.
/// </summary>
public class TwoNodes : IAsyncLifetime
{
    public const string AdminPassword = "two-nodes-on-one-postgres";

    /// <summary><c>Latchkey:Tokens:MaxTokensPerUser</c> on both nodes, for the race at the cap.</summary>
    public const int TokenCap = 10;

    private const string UserPassword = "a-perfectly-fine-passphrase";

    private readonly string _folder = Directory.CreateTempSubdirectory("latchkey-nodes-").FullName;

    public ServerProcess A { get; private set; } = null!;

    public ServerProcess B { get; private set; } = null!;

    internal PostgresCluster Cluster { get; private set; } = null!;

    /// <summary>The nodes' database, for a test's own look at <c>pg_stat_activity</c>.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>The cluster the nodes' database is made in: the run's shared one unless a subclass starts its own.</summary>
    private protected virtual Task<PostgresCluster> ClusterAsync() => PostgresCluster.GetAsync();

    public async Task InitializeAsync()
    {
        Cluster = await ClusterAsync();
        ConnectionString = await Cluster.CreateDatabaseAsync("latchkey_nodes");
        var hashingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var starting = new[] { StartNodeAsync("node-a", hashingKey), StartNodeAsync("node-b", hashingKey) };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var node in starting.Where(node => node.IsCompletedSuccessfully))
            {
                node.Result.Dispose();
            }

            throw;
        }

        A = starting[0].Result;
        B = starting[1].Result;
    }

    public virtual async Task DisposeAsync()
    {
        A?.Dispose();
        B?.Dispose();
        NpgsqlConnection.ClearAllPools();
        if (ConnectionString.Length > 0)
        {
            try
            {
                await Cluster.DropDatabaseAsync(ConnectionString);
            }
            catch (NpgsqlException)
            {
                // An own cluster a test left stopped: it goes away whole.
            }
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A client of <paramref name="node"/> signed in as the administrator.</summary>
    public static async Task<HttpClient> AdminAsync(ServerProcess node)
    {
        var client = node.CreateClient();
        return client.WithBearer(await client.SignInAsync("admin", AdminPassword));
    }

    /// <summary>A user's clients, signed in on node A and on node B.</summary>
    public sealed record SignedIn(HttpClient OnA, HttpClient OnB) : IDisposable
    {
        public void Dispose()
        {
            OnA.Dispose();
            OnB.Dispose();
        }
    }

    /// <summary>A new user, created on A, and a client signed in as them on each node.</summary>
    public async Task<SignedIn> NewUserAsync()
    {
        var username = $"user{Guid.NewGuid():N}"[..16];
        using (var admin = await AdminAsync(A))
        using (var created = await admin.PostAsJsonAsync("/api/users", new { username, password = UserPassword }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var onA = A.CreateClient();
        onA.WithBearer(await onA.SignInAsync(username, UserPassword));
        var onB = B.CreateClient();
        onB.WithBearer(await onB.SignInAsync(username, UserPassword));
        return new SignedIn(onA, onB);
    }

    /// <summary>The backend process id of <paramref name="node"/>'s listening connection, or null while it has none.</summary>
    public async Task<int?> ListenerAsync(string node)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.QuerySingleOrDefaultAsync<int?>(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = @Name",
            new { Name = $"latchkey-listener {node}" });
    }

    /// <summary>Waits until <paramref name="node"/> listens on a connection other than <paramref name="not"/>; its process id.</summary>
    public async Task<int> WaitForListenerAsync(string node, int? not = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await ListenerAsync(node) is { } pid && pid != not)
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{node} did not listen on PostgreSQL again within 30 s.");
    }

    private async Task<ServerProcess> StartNodeAsync(string name, string hashingKey)
        => await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Latchkey__Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Latchkey"] = new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = name }.ConnectionString,
            ["Latchkey__Hashing__Keys__k1"] = hashingKey,
            ["Latchkey__DataDirectory"] = Path.Combine(_folder, name),
            ["LATCHKEY_ADMIN_PASSWORD"] = AdminPassword,
            ["Latchkey__Tokens__MaxTokensPerUser"] = TokenCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The nginx test's proxy; requests straight from the tests carry no X-Forwarded-For and stay as they are.
            ["Latchkey__Server__KnownProxies"] = "127.0.0.1",
            // Every test here ends by presenting revoked tokens from 127.0.0.1, one class after another: more than
            // the default 20 refusals a minute, which would turn later answers into 429s.
            ["Latchkey__FailedAuthentication__PermitLimit"] = "1000",
        });
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Testing;
using Npgsql;

namespace Latchkey.Server.Tests.Moving;

/// <summary>
/// A SQLite installation built through the real API (users, one with two-factor authentication, tokens used, rotated,
/// revoked and derived, the audit log they left), stopped, copied with <c>copy-from-sqlite</c> into a new database
/// of the run's PostgreSQL cluster, and the server started on that database with the installation's keys. Shared by
/// the tests of the copy: building it is most of their cost.
/// </summary>
public sealed class CopiedInstallation : IAsyncLifetime
{
    public const int TokenCap = 3;

    private readonly List<string> _databases = [];
    private PostgresCluster _cluster = null!;

    /// <summary>The SQLite installation's data folder: latchkey.db, hashing-keys.json, data-protection-keys/.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("latchkey-copy-").FullName;

    public string DatabaseFile => Path.Combine(Folder, "latchkey.db");

    public string ClusterConnectionString { get; private set; } = string.Empty;

    /// <summary>The database the installation was copied into.</summary>
    public string Target { get; private set; } = string.Empty;

    public CommandResult Copy { get; private set; } = null!;

    /// <summary>The server on <see cref="Target"/>, with the installation's hashing keys.</summary>
    public PostgresServer Server { get; private set; } = null!;

    public string AdminSession { get; private set; } = string.Empty;

    public TestUser Alice { get; private set; } = null!;

    public TestUser Bob { get; private set; } = null!;

    public TestUser Carol { get; private set; } = null!;

    /// <summary>Bob's authenticator key.</summary>
    public string BobKey { get; private set; } = string.Empty;

    /// <summary>Alice's tokens: in use, rotated away and its successor, revoked, and one more to reach the cap.</summary>
    public (string InUse, string RotatedAway, string Successor, string Revoked, long Spare) AliceTokens { get; private set; }

    /// <summary>Carol's SailPoint token (its public id is the OAuth client id) and an access token derived from it.</summary>
    public (string ClientId, string Secret, string Derived) CarolTokens { get; private set; }

    /// <summary>The highest token id the API showed on SQLite.</summary>
    public long HighestTokenId { get; private set; }

    /// <summary>The highest user id on SQLite.</summary>
    public long HighestUserId { get; private set; }

    public JsonArray UsersBefore { get; private set; } = [];

    public JsonArray AuditBefore { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.GetAsync();
        ClusterConnectionString = _cluster.ConnectionString;
        await using (var sqlite = new SqliteServer(Folder))
        {
            await BuildAsync(sqlite);
        }

        // The command migrates the new database itself, as a node would.
        Target = await CreateDatabaseAsync();
        Copy = await RunCopyAsync(Target);
        Server = new PostgresServer(Folder, Target);
        Server.Clock.Advance(TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        foreach (var database in _databases)
        {
            await _cluster.DropDatabaseAsync(database);
        }

        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>A new, empty database in the cluster (dropped with the fixture); its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var database = await _cluster.CreateDatabaseAsync("latchkey_copy");
        _databases.Add(database);
        return database;
    }

    /// <summary>
    /// <c>copy-from-sqlite</c> through the server's own entry, in-process, into <paramref name="target"/> (PostgreSQL
    /// provider unless <paramref name="provider"/> says otherwise), from <paramref name="file"/> or the data folder's database.
    /// </summary>
    public async Task<CommandResult> RunCopyAsync(string target, string? file = null, string provider = "Postgres", string? dataDirectory = null, StringWriter? output = null, CancellationToken cancellationToken = default)
    {
        output ??= new StringWriter();
        using var error = new StringWriter();
        string[] arguments =
        [
            "copy-from-sqlite",
            .. file is null ? Array.Empty<string>() : [file],
            $"--Latchkey:Storage:Provider={provider}",
            $"--ConnectionStrings:Latchkey={target}",
            $"--Latchkey:DataDirectory={dataDirectory ?? Folder}",
        ];
        var exitCode = await ServerProgram.RunAsync(arguments, output, error, cancellationToken);
        return new CommandResult(exitCode, output.ToString(), error.ToString());
    }

    private async Task BuildAsync(SqliteServer sqlite)
    {
        AdminSession = await sqlite.AdminSessionAsync();
        Alice = await sqlite.CreateUserAsync($"alice-{Guid.NewGuid():N}"[..12]);
        Bob = await sqlite.CreateUserAsync($"Bob-{Guid.NewGuid():N}"[..10]);
        Carol = await sqlite.CreateUserAsync($"carol-{Guid.NewGuid():N}"[..12]);

        using var alice = sqlite.CreateClient(Alice);
        var inUse = await alice.CreateTokenAsync(new { name = "ci", scopes = new[] { "api" } });
        using (var used = await sqlite.CreateClient(inUse["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        var deploy = await alice.CreateTokenAsync(new { name = "deploy", scopes = new[] { "read_api" } });
        JsonNode successor;
        using (var rotated = await alice.PostAsync($"/api/tokens/{deploy["id"]}/rotate", null))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            successor = (await rotated.JsonAsync())!;
        }

        var laptop = await alice.CreateTokenAsync(new { name = "old laptop", scopes = new[] { "api" } });
        using (var revoked = await alice.DeleteAsync($"/api/tokens/{laptop["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        var spare = await alice.CreateTokenAsync(new { name = "spare", scopes = new[] { "api" } });
        AliceTokens = (inUse["token"]!.GetValue<string>(), deploy["token"]!.GetValue<string>(), successor["token"]!.GetValue<string>(),
            laptop["token"]!.GetValue<string>(), spare["id"]!.GetValue<long>());
        HighestTokenId = new[] { inUse, deploy, successor, laptop, spare }.Max(token => token["id"]!.GetValue<long>());

        (BobKey, _) = await sqlite.EnrolAsync(Bob);

        // A SailPoint token and the OAuth access token it is exchanged for (derived: it dies with its parent).
        using var carol = sqlite.CreateClient(Carol);
        JsonNode pat;
        using (var created = await carol.PostAsJsonAsync("/v3/personal-access-tokens", new { name = "integration", expirationDate = "2099-01-01T00:00:00.000Z" }))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            pat = (await created.JsonAsync())!;
        }

        var clientId = pat["id"]!.GetValue<string>();
        var secret = pat["secret"]!.GetValue<string>();
        using (var issued = await sqlite.CreateClient().PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        })))
        {
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
            CarolTokens = (clientId, secret, (await issued.JsonAsync())!["access_token"]!.GetValue<string>());
        }

        using var admin = sqlite.CreateClient(AdminSession);
        UsersBefore = (await (await admin.GetAsync("/api/users?per_page=100")).JsonAsync())!.AsArray();
        AuditBefore = (await (await admin.GetAsync("/api/audit?per_page=100")).JsonAsync())!.AsArray();
        HighestUserId = UsersBefore.Max(user => user!["id"]!.GetValue<long>());
    }

    public sealed record CommandResult(int ExitCode, string Output, string Error)
    {
        public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The SQLite installation: its files in <paramref name="folder"/>, which outlives the server.</summary>
    private sealed class SqliteServer(string folder) : AdjustableClockServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:DataDirectory"] = folder,
            ["ConnectionStrings:Latchkey"] = ServerDefaults.SqliteConnectionString(folder),
            ["Latchkey:Hashing:KeyFile"] = Path.Combine(folder, "hashing-keys.json"),
            ["Latchkey:Tokens:MaxTokensPerUser"] = TokenCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A node on the copy: PostgreSQL, the installation's hashing keys and data folder, the same token cap.</summary>
    public sealed class PostgresServer(string folder, string connectionString) : AdjustableClockServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Latchkey"] = connectionString,
            ["Latchkey:DataDirectory"] = folder,
            ["Latchkey:Hashing:KeyFile"] = Path.Combine(folder, "hashing-keys.json"),
            ["Latchkey:Tokens:MaxTokensPerUser"] = TokenCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

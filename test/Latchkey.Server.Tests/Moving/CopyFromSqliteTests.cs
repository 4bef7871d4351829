using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Latchkey.Server.Tests.Infrastructure;
using Npgsql;

namespace Latchkey.Server.Tests.Moving;

/// <summary>
/// <c>copy-from-sqlite</c>: what an operator sees while it runs and when it refuses, and what the users of the
/// installation see afterwards on a server on PostgreSQL: their tokens, sessions, second factor and audit log as they
/// were, and nothing half-written when it stops early.
/// </summary>
public sealed class CopyFromSqliteTests(CopiedInstallation installation) : IClassFixture<CopiedInstallation>
{
    private const string Failed = "copy-from-sqlite failed: ";

    private readonly CopiedInstallation.PostgresServer _server = installation.Server;

    [Fact]
    public async Task The_copy_shows_each_table_as_it_goes_and_a_summary_and_never_a_secret()
    {
        var copy = installation.Copy;

        Assert.True(copy.ExitCode == 0, copy.Error);
        Assert.Empty(copy.Error);
        Assert.Contains($"Copying {installation.DatabaseFile} into PostgreSQL", copy.Output);
        Assert.Contains(Environment.NewLine + "  users: 4 rows (", copy.Output);
        Assert.Contains(Environment.NewLine + "  recovery_codes: 10 rows (", copy.Output);
        Assert.Matches(@"\n  tokens: \d+ rows \(", copy.Output);
        Assert.Matches(@"\n  audit_log: \d+ rows \(", copy.Output);
        Assert.Contains(Environment.NewLine + "  hashing_keys: 1 row (", copy.Output);
        Assert.Matches(@"\nCommitted in \d+\.\d s: .*users 4.*\.", copy.Output);
        Assert.Contains($"Data Protection keys: 1 from {Path.Combine(installation.Folder, "data-protection-keys")}, now in the database", copy.Output);
        Assert.Contains($"give every node the same keys ({Path.Combine(installation.Folder, "hashing-keys.json")})", copy.Output);
        Assert.DoesNotContain("recorded no check value", copy.Output);
        foreach (var secret in new[] { installation.AliceTokens.InUse, installation.AliceTokens.Successor, installation.CarolTokens.Secret, installation.AdminSession, installation.BobKey })
        {
            Assert.DoesNotContain(secret, copy.Output);
        }

        // The key files, by the names the file system repository gave them (the node may have added keys of its own since).
        await using var connection = new NpgsqlConnection(installation.Target);
        var stored = (await connection.QueryAsync<string>("SELECT friendly_name FROM data_protection_keys")).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(installation.Folder, "data-protection-keys"), "*.xml").Select(file => Path.GetFileNameWithoutExtension(file)).ToHashSet();
        Assert.NotEmpty(files);
        Assert.Subset(stored, files);
    }

    [Fact]
    public async Task Tokens_and_sessions_from_SQLite_authenticate_on_PostgreSQL_and_revoked_or_rotated_away_ones_stay_refused()
    {
        var alice = installation.AliceTokens;
        foreach (var token in new[] { alice.InUse, alice.Successor, installation.Alice.Session, installation.AdminSession })
        {
            using var answer = await _server.CreateClient(token).GetAsync("/api/tokens/self");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        foreach (var token in new[] { alice.RotatedAway, alice.Revoked })
        {
            using var answer = await _server.CreateClient(token).GetAsync("/api/tokens/self");
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        }

        using (var self = await _server.CreateClient(alice.InUse).GetAsync("/api/tokens/self"))
        {
            var body = (await self.JsonAsync())!;
            Assert.Equal("ci", body["name"]!.GetValue<string>());
            Assert.Equal(["api"], body["scopes"]!.AsArray().Select(scope => scope!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task A_derived_access_token_still_follows_its_parent_after_the_copy()
    {
        var carol = installation.CarolTokens;
        using (var works = await _server.CreateClient(carol.Derived).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        using (var revoked = await _server.CreateClient(installation.Carol.Session).DeleteAsync($"/v3/personal-access-tokens/{carol.ClientId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        using var refused = await _server.CreateClient(carol.Derived).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Users_their_second_factor_and_the_audit_log_are_as_they_were()
    {
        using var admin = _server.CreateClient(installation.AdminSession);
        var users = (await (await admin.GetAsync("/api/users?per_page=100")).JsonAsync())!.AsArray();
        foreach (var before in installation.UsersBefore)
        {
            var after = users.Single(user => user!["id"]!.GetValue<long>() == before!["id"]!.GetValue<long>());
            Assert.Equal(before!.ToJsonString(), after!.ToJsonString());
        }

        // Usernames stay unique without regard to case, as on SQLite.
        using (var clash = await admin.PostAsJsonAsync("/api/users", new { username = installation.Bob.Username.ToLowerInvariant(), password = TestUser.DefaultPassword }))
        {
            Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        }

        var audit = (await (await admin.GetAsync("/api/audit?per_page=100")).JsonAsync())!.AsArray();
        foreach (var before in installation.AuditBefore)
        {
            var after = audit.Single(entry => entry!["id"]!.GetValue<long>() == before!["id"]!.GetValue<long>());
            Assert.Equal(before!.ToJsonString(), after!.ToJsonString());
        }

        // Bob's authenticator key was encrypted by the SQLite server; the node reads it and asks for a code.
        var bob = installation.Bob;
        using (var withoutCode = await _server.CreateClient().SignInWithAsync(bob.Username, bob.Password))
        {
            var problem = await ProblemAssert.ProblemAsync(withoutCode, HttpStatusCode.Unauthorized);
            Assert.Equal("otp_required", problem["error"]!.GetValue<string>());
        }

        using var withCode = await _server.CreateClient().SignInWithAsync(bob.Username, bob.Password, _server.CodeNow(installation.BobKey));
        Assert.Equal(HttpStatusCode.Created, withCode.StatusCode);
    }

    [Fact]
    public async Task The_per_user_cap_counts_the_copied_tokens_and_new_ids_come_after_the_copied_ones()
    {
        using var alice = _server.CreateClient(installation.Alice);
        using (var beyond = await alice.PostAsJsonAsync("/api/tokens", new { name = "fourth", scopes = new[] { "api" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, beyond.StatusCode);
        }

        using (var revoked = await alice.DeleteAsync($"/api/tokens/{installation.AliceTokens.Spare}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        var token = await alice.CreateTokenAsync(new { name = "fourth", scopes = new[] { "api" } });
        Assert.True(token["id"]!.GetValue<long>() > installation.HighestTokenId);
        using (var works = await _server.CreateClient(token["token"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        var user = await _server.CreateUserAsync();
        Assert.True(user.Id > installation.HighestUserId);
    }

    [Fact]
    public async Task A_database_that_already_holds_data_is_refused_and_keeps_what_it_had()
    {
        var before = await CountsAsync(installation.Target);

        var copy = await installation.RunCopyAsync(installation.Target);

        Assert.Equal(1, copy.ExitCode);
        var line = Assert.Single(copy.ErrorLines);
        Assert.StartsWith(Failed + "the PostgreSQL database already holds data (", line);
        Assert.Contains("users: ", line);
        Assert.Contains("copy into a new, empty database", line);
        Assert.Equal(before, await CountsAsync(installation.Target));
    }

    [Fact]
    public async Task Without_the_PostgreSQL_provider_the_copy_is_refused_before_anything_is_touched()
    {
        var target = await installation.CreateDatabaseAsync();
        var elsewhere = Path.Combine(Path.GetTempPath(), $"latchkey-copy-none-{Guid.NewGuid():N}");

        var copy = await installation.RunCopyAsync(target, installation.DatabaseFile, provider: "Sqlite", dataDirectory: elsewhere);

        Assert.Equal(1, copy.ExitCode);
        var line = Assert.Single(copy.ErrorLines);
        Assert.Equal(
            Failed + "the copy goes into PostgreSQL, but Latchkey:Storage:Provider is 'Sqlite'; run it with Latchkey__Storage__Provider=Postgres " +
            "and ConnectionStrings__Latchkey set to the new database. Nothing was copied.",
            line);
        Assert.False(Directory.Exists(elsewhere));
        Assert.Equal(0, await TableCountAsync(target));
    }

    [Fact]
    public async Task A_missing_file_or_one_that_is_not_SQLite_is_refused_before_the_database_is_touched()
    {
        var target = await installation.CreateDatabaseAsync();
        var missing = Path.Combine(installation.Folder, "no-such.db");
        var notSqlite = Path.Combine(installation.Folder, "notes.txt");
        await File.WriteAllTextAsync(notSqlite, "This is not a database, however long it is. ".PadRight(4096, '.'));

        var absent = await installation.RunCopyAsync(target, missing);
        var wrong = await installation.RunCopyAsync(target, notSqlite);

        Assert.Equal(1, absent.ExitCode);
        Assert.StartsWith($"{Failed}there is no SQLite database at {missing}; give its path", Assert.Single(absent.ErrorLines));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal($"{Failed}{notSqlite} is not a SQLite database.", Assert.Single(wrong.ErrorLines));
        Assert.Equal(0, await TableCountAsync(target));
    }

    [Fact]
    public async Task A_copy_interrupted_after_its_first_table_rolls_back_and_leaves_the_tables_empty()
    {
        var target = await installation.CreateDatabaseAsync();
        using var interrupt = new CancellationTokenSource();
        using var output = new InterruptingWriter(interrupt);

        var copy = await installation.RunCopyAsync(target, output: output, cancellationToken: interrupt.Token);

        Assert.Equal(1, copy.ExitCode);
        Assert.Matches(@"\n  \w+: \d+ rows \(", copy.Output);
        Assert.DoesNotContain("Committed", copy.Output);
        Assert.Equal("copy-from-sqlite stopped: interrupted; the transaction was rolled back and nothing was copied.", Assert.Single(copy.ErrorLines));
        Assert.All((await CountsAsync(target)).Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task A_SQLite_database_that_recorded_no_check_value_for_its_key_is_copied_with_a_warning_to_carry_the_key_file_first()
    {
        // A server of an earlier release never recorded its key's check value, so the nodes cannot refuse a wrong key.
        var folder = Directory.CreateTempSubdirectory("latchkey-copy-old-").FullName;
        try
        {
            var file = Path.Combine(folder, "latchkey.db");
            await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={installation.DatabaseFile};Pooling=False"))
            {
                await sqlite.ExecuteAsync("VACUUM INTO @file", new { file });
            }

            await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await sqlite.ExecuteAsync("DELETE FROM hashing_keys");
            }

            var copy = await installation.RunCopyAsync(await installation.CreateDatabaseAsync(), file);

            Assert.True(copy.ExitCode == 0, copy.Error);
            Assert.Contains(
                Environment.NewLine + "Hashing keys: the SQLite database recorded no check value for k1 (its server last ran on an earlier release), " +
                "so a node holding a different key under that id is not refused at start-up but turns every copied token away: " +
                "put the installation's keys on each node before its first start." + Environment.NewLine,
                copy.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_in_the_keys_folder_that_is_not_XML_is_refused_instead_of_breaking_every_node_that_reads_the_keys()
    {
        var folder = Directory.CreateTempSubdirectory("latchkey-copy-stray-").FullName;
        try
        {
            var file = Path.Combine(folder, "latchkey.db");
            await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={installation.DatabaseFile};Pooling=False"))
            {
                await sqlite.ExecuteAsync("VACUUM INTO @file", new { file });
            }

            var keys = Directory.CreateDirectory(Path.Combine(folder, "data-protection-keys")).FullName;
            var broken = Path.Combine(keys, "key-broken.xml");
            await File.WriteAllTextAsync(broken, "<?xml version=\"1.0\"?><key id=");
            var target = await installation.CreateDatabaseAsync();

            var copy = await installation.RunCopyAsync(target, file);

            Assert.Equal(1, copy.ExitCode);
            Assert.Equal(
                $"{Failed}{broken} is not a Data Protection key (not XML); move it out of {keys} and run the copy again. Nothing was copied.",
                Assert.Single(copy.ErrorLines));
            Assert.All((await CountsAsync(target)).Values, count => Assert.Equal(0, count));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_installation_that_recorded_no_check_value_has_its_own_key_file_recorded_by_the_copy_so_a_node_with_another_key_is_refused()
    {
        // The usual move: the SQLite server last ran on an earlier release (no check values), and the copy runs in its
        // data folder, beside the key file that server used.
        var folder = Directory.CreateTempSubdirectory("latchkey-copy-own-").FullName;
        try
        {
            var file = Path.Combine(folder, "latchkey.db");
            await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={installation.DatabaseFile};Pooling=False"))
            {
                await sqlite.ExecuteAsync("VACUUM INTO @file", new { file });
            }

            string checkValue;
            await using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                checkValue = await sqlite.ExecuteScalarAsync<string>("SELECT check_value FROM hashing_keys WHERE key_id = 'k1'") ?? throw new InvalidOperationException("no k1 row");
                await sqlite.ExecuteAsync("DELETE FROM hashing_keys");
            }

            var keyFile = Path.Combine(folder, "hashing-keys.json");
            File.Copy(Path.Combine(installation.Folder, "hashing-keys.json"), keyFile);
            var target = await installation.CreateDatabaseAsync();

            var copy = await installation.RunCopyAsync(target, dataDirectory: folder);

            Assert.True(copy.ExitCode == 0, copy.Error);
            Assert.Contains(
                Environment.NewLine + $"Hashing keys: recorded the check value of k1 from this installation's key file {keyFile}; a node holding a different key under that id refuses to start." + Environment.NewLine,
                copy.Output);
            Assert.DoesNotContain("recorded no check value", copy.Output);
            await using var connection = new NpgsqlConnection(target);
            Assert.Equal(checkValue, await connection.ExecuteScalarAsync<string>("SELECT check_value FROM hashing_keys WHERE key_id = 'k1'"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_node_that_reads_the_database_during_the_copy_waits_for_it_instead_of_finding_no_users()
    {
        // A node started by mistake while the copy runs must not see empty tables: it would create an administrator
        // 'admin' of its own (LATCHKEY_ADMIN_PASSWORD or a generated password) in the copied installation.
        var target = await installation.CreateDatabaseAsync();
        using var output = new ProbingWriter(target);

        var copy = await installation.RunCopyAsync(target, output: output);

        Assert.True(copy.ExitCode == 0, copy.Error);
        Assert.Equal("waited for the copy", output.NodeSaw);
    }

    private static async Task<Dictionary<string, long>> CountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "users", "tokens", "audit_log", "recovery_codes" })
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
        }

        return counts;
    }

    private static async Task<long> TableCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
    }

    /// <summary>
    /// When the copy reports its first table, asks the database what a starting node asks first (are there users?),
    /// willing to wait 300 ms for a lock: <see cref="NodeSaw"/> says whether it was made to wait or got an answer.
    /// </summary>
    private sealed class ProbingWriter(string connectionString) : StringWriter(CultureInfo.InvariantCulture)
    {
        public string? NodeSaw { get; private set; }

        public override async Task WriteLineAsync(string? value)
        {
            if (NodeSaw is null && value is not null && IsTableLine(value))
            {
                await using var node = new NpgsqlConnection(connectionString);
                await node.OpenAsync();
                await node.ExecuteAsync("SET lock_timeout = '300ms'");
                try
                {
                    NodeSaw = $"{await node.ExecuteScalarAsync<long>("SELECT count(*) FROM users")} users";
                }
                catch (PostgresException waited) when (waited.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    NodeSaw = "waited for the copy";
                }
            }

            await base.WriteLineAsync(value);
        }
    }

    /// <summary>Cancels the copy, as Ctrl+C would, as soon as it reports its first table.</summary>
    private sealed class InterruptingWriter(CancellationTokenSource interrupt) : StringWriter(CultureInfo.InvariantCulture)
    {
        public override Task WriteLineAsync(string? value)
        {
            if (value is not null && IsTableLine(value))
            {
                interrupt.Cancel();
            }

            return base.WriteLineAsync(value);
        }
    }

    /// <summary>A table's line in the copy's output: <c>  users: 4 rows (0.0 s)</c> or <c>  hashing_keys: 1 row (0.0 s)</c>.</summary>
    private static bool IsTableLine(string value)
        => value.StartsWith("  ", StringComparison.Ordinal) && (value.Contains(" rows (", StringComparison.Ordinal) || value.Contains(" row (", StringComparison.Ordinal));
}

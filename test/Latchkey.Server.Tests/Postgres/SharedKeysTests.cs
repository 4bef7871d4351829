using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dapper;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Latchkey.Server.Tests.Postgres;

/// <summary>
/// Keys every node shares, on one PostgreSQL database: a node given the first node's hashing key file accepts its
/// tokens and signs in with a second factor the first node encrypted (Data Protection keys in the database); a node
/// that generated its own key file, or lacks the key the tokens were hashed with, stops with one line saying what to copy.
/// </summary>
public sealed class SharedKeysTests : IAsyncLifetime
{
    private readonly List<IDisposable> _owned = [];
    private PostgresCluster _cluster = null!;
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.GetAsync();
        _connectionString = await _cluster.CreateDatabaseAsync("latchkey_keys");
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        await _cluster.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task A_node_with_the_first_nodes_key_file_takes_its_tokens_and_second_factors_and_one_without_stops_with_one_line()
    {
        var first = StartNode();
        var user = await first.CreateUserAsync();
        var (secret, _) = await first.EnrolAsync(user);
        var keyFile = Path.Combine(first.DataDirectory, "hashing-keys.json");

        var second = StartNode(keyFile);
        second.Clock.Advance(TimeSpan.FromSeconds(60));
        using (var self = await second.CreateClient(user).GetAsync("/api/user"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        }

        // The authenticator key was encrypted on the first node; the second reads it with the keys in the database.
        using (var signedIn = await second.CreateClient().SignInWithAsync(user.Username, user.Password, second.CodeNow(secret)))
        {
            Assert.Equal(HttpStatusCode.Created, signedIn.StatusCode);
        }

        // A third node left to generate its own key file, as a node does on first start.
        var generated = await RunRefusedAsync([]);
        Assert.Matches(
            "^Latchkey did not start: Latchkey:Hashing: this node's hashing key 'k1' is not the key 'k1' first used with this database \\(on [0-9-]+ [0-9:]+ UTC\\); every node needs the same keys\\. " +
            "Copy the hashing key file \\(Latchkey:Hashing:KeyFile\\) of the node that first used it over this node's, or set the same Latchkey:Hashing:Keys:k1 here, then start this node again\\.$",
            generated);

        // One given a key of another id only: the stored tokens need k1.
        var lacking = await RunRefusedAsync([$"--Latchkey:Hashing:Keys:k2={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}"]);
        Assert.StartsWith(
            "Latchkey did not start: Latchkey:Hashing: tokens or recovery codes in the database were hashed with the hashing key 'k1', which this node does not have. ",
            lacking);
        Assert.EndsWith("or set the same Latchkey:Hashing:Keys:k1 here, then start this node again.", lacking);
    }

    [Fact]
    public async Task A_copy_of_the_database_does_not_let_anyone_forge_the_cookie_that_skips_the_password()
    {
        var node = StartNode();
        var user = await node.CreateUserAsync();
        var (secret, _) = await node.EnrolAsync(user);
        var browser = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        // The password, then the code: the pending sign-in cookie carries the user to the second step.
        using var form = await browser.GetAsync("/users/sign_in");
        var antiforgery = Antiforgery(await form.Content.ReadAsStringAsync());
        using var password = await browser.PostAsync("/users/sign_in", Form(new() { ["username"] = user.Username, ["password"] = user.Password, ["__RequestVerificationToken"] = antiforgery }));
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/users/sign_in/two_factor", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using (var second = await browser.GetAsync("/users/sign_in/two_factor"))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        // Someone with a copy of the database has the Data Protection keys (and so the authenticator key): they make
        // the cookie for the user's id themselves. Without the hashing key it is no pending sign-in.
        var forged = node.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Latchkey.Ui.PendingSignIn.v1").ToTimeLimitedDataProtector()
            .Protect(user.Id.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(5));
        var attacker = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/sign_in/two_factor");
        request.Headers.Add("Cookie", $"latchkey_two_factor={forged}");
        using var refused = await attacker.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/users/sign_in", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("two_factor", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The real pending sign-in still completes.
        using var codePage = await browser.GetAsync("/users/sign_in/two_factor");
        using var signedIn = await browser.PostAsync("/users/sign_in/two_factor", Form(new() { ["otp"] = node.CodeNow(secret), ["__RequestVerificationToken"] = Antiforgery(await codePage.Content.ReadAsStringAsync()) }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("latchkey_session=", StringComparison.Ordinal));
    }

    private static string Antiforgery(string page)
        => Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    private static FormUrlEncodedContent Form(Dictionary<string, string> fields) => new(fields);

    private Node StartNode(string? keyFile = null)
    {
        var node = new Node(_connectionString, keyFile);
        _owned.Add(node);
        return node;
    }

    /// <summary>Runs the server's own entry on the same database with its own data folder; returns its one line.</summary>
    private async Task<string> RunRefusedAsync(string[] settings)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("latchkey-keys-node-");
        try
        {
            using var error = new StringWriter();
            using var started = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var exitCode = await ServerProgram.RunAsync(
                [
                    "--environment=Production",

                    // The server's own name, as its process has: the web UI's static assets are listed under it.
                    "--applicationName=Latchkey.Server",
                    $"--Latchkey:DataDirectory={dataDirectory.FullName}",
                    $"--Latchkey:Passwords:Iterations={LatchkeyServerFactory.PasswordIterations}",
                    "--urls=http://127.0.0.1:0",
                    "--Latchkey:Storage:Provider=Postgres",
                    $"--ConnectionStrings:Latchkey={_connectionString}",
                    .. settings,
                ],
                error,
                started.Token);

            Assert.Equal(1, exitCode);
            var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(_connectionString).Password!, line, StringComparison.Ordinal);
            return line;
        }
        finally
        {
            dataDirectory.Delete(recursive: true);
        }
    }

    /// <summary>A server node on the given PostgreSQL database, with its own data folder and, unless given one, its own key file.</summary>
    private sealed class Node(string connectionString, string? keyFile) : AdjustableClockServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => keyFile is null
            ? Postgres
            : new Dictionary<string, string?>(Postgres) { ["Latchkey:Hashing:KeyFile"] = keyFile };

        private Dictionary<string, string?> Postgres => new()
        {
            ["Latchkey:Storage:Provider"] = "Postgres",
            ["ConnectionStrings:Latchkey"] = connectionString,
        };
    }
}

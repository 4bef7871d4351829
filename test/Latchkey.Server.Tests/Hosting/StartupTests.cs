using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Latchkey.Server.Tests.Durability;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// Starting the real server process as an operator would: where its data goes, what it says first, how a bad
/// setting or a taken port stops it, and what happens to the administrator's password.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed partial class StartupTests : ServerProcessTest
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerReadWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Started_from_any_folder_the_server_uses_its_own_settings_and_names_its_absolute_data_location_first()
    {
        // Started from a folder of its own with no data settings at all: data goes to ./data beside it.
        var server = await StartAsync(new() { ["LATCHKEY_ADMIN_PASSWORD"] = LatchkeyServerFactory.AdminPassword }, workingDirectory: Root);
        using (var client = server.CreateClient())
        {
            await client.SignInAsync();
            for (var i = 0; i < 5; i++)
            {
                using var live = await client.GetAsync("/health/live");
            }
        }

        var lines = Lines(server.Output);
        Assert.Contains($"Latchkey data: database {Path.Combine(DataDirectory, "latchkey.db")}, hashing keys {Path.Combine(DataDirectory, "hashing-keys.json")}", lines.First(line => !line.StartsWith("info:", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(DataDirectory, "latchkey.db")));

        // appsettings.json came from the server's folder, not the working directory: the framework's per-request
        // information lines stay off, and requests are logged by the request log alone.
        Assert.DoesNotContain(lines, line => line.Contains("Microsoft.AspNetCore.Routing", StringComparison.Ordinal) || line.Contains("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_data_folder_and_every_file_in_it_are_private_to_the_owner()
    {
        var server = await StartAsync(new() { ["LATCHKEY_ADMIN_PASSWORD"] = LatchkeyServerFactory.AdminPassword });
        using (var client = server.CreateClient())
        {
            await client.SignInAsync(); // a write, so the -wal and -shm files exist
        }

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(DataDirectory));
        foreach (var file in new[] { "latchkey.db", "latchkey.db-wal", "latchkey.db-shm", "hashing-keys.json" })
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(DataDirectory, file)));
        }

        Assert.DoesNotContain("open to other users", server.Output);
    }

    [Fact]
    public async Task An_existing_data_folder_open_to_others_is_left_as_it_is_with_a_warning()
    {
        var open = OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(DataDirectory, open);

        var server = await StartAsync(new() { ["LATCHKEY_ADMIN_PASSWORD"] = LatchkeyServerFactory.AdminPassword });

        Assert.Contains($"The data folder {DataDirectory} is open to other users (mode 755)", server.Output);
        Assert.Equal(open, File.GetUnixFileMode(DataDirectory));
    }

    [Fact]
    public async Task A_first_start_on_a_taken_port_creates_no_administrator_so_the_next_start_shows_the_generated_password()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = $"http://127.0.0.1:{((IPEndPoint)squatter.LocalEndpoint).Port}";

        var failed = await ServerProcess.RunToExitAsync(Environment(), "--urls", taken);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("Latchkey did not start: ", failed.StandardError);
        Assert.Contains("address already in use", failed.StandardError);
        Assert.DoesNotContain("password", failed.StandardOutput + failed.StandardError, StringComparison.OrdinalIgnoreCase);

        var server = await StartAsync(new());
        var password = GeneratedPassword(server.Output);
        using var client = server.CreateClient();
        await client.SignInAsync("admin", password);
    }

    [Fact]
    public async Task Reset_admin_password_prints_a_new_one_once_ends_the_admins_sessions_and_is_audited()
    {
        var first = await StartAsync(new() { ["LATCHKEY_ADMIN_PASSWORD"] = LatchkeyServerFactory.AdminPassword });
        string oldSession;
        using (var client = first.CreateClient())
        {
            oldSession = await client.SignInAsync();
        }

        first.Kill();

        var reset = await ServerProcess.RunToExitAsync(Environment(), "reset-admin-password");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        var password = GeneratedPassword(reset.StandardOutput);
        Assert.Contains("ended its 1 session(s)", reset.StandardOutput);

        var second = await StartAsync(new());
        using (var anonymous = second.CreateClient())
        using (var oldPassword = await anonymous.PostAsJsonAsync("/api/session", new { username = "admin", password = LatchkeyServerFactory.AdminPassword }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        }

        using (var stale = second.CreateClient().WithBearer(oldSession))
        using (var refused = await stale.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var admin = second.CreateClient().WithBearer(await second.CreateClient().SignInAsync("admin", password));
        var audit = (await admin.GetFromJsonAsync<JsonArray>("/api/audit?per_page=100"))!;
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "user.password_reset");
        Assert.DoesNotContain(password, second.Output + reset.StandardError);
    }

    [Fact]
    public async Task Reset_admin_password_takes_the_password_from_LATCHKEY_ADMIN_PASSWORD_and_prints_none()
    {
        var first = await StartAsync(new() { ["LATCHKEY_ADMIN_PASSWORD"] = LatchkeyServerFactory.AdminPassword });
        first.Kill();
        const string chosen = "a-new-long-chosen-password";

        var reset = await ServerProcess.RunToExitAsync(Environment(new() { ["LATCHKEY_ADMIN_PASSWORD"] = chosen }), "reset-admin-password");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.DoesNotContain(chosen, reset.StandardOutput + reset.StandardError);
        var second = await StartAsync(new());
        using var client = second.CreateClient();
        await client.SignInAsync("admin", chosen);
    }

    [Fact]
    public async Task Passwords_are_hashed_at_the_configured_cost_and_old_hashes_still_sign_in_after_it_changes()
    {
        var first = await StartAsync(new() { ["LATCHKEY_ADMIN_PASSWORD"] = LatchkeyServerFactory.AdminPassword, ["Latchkey__Passwords__Iterations"] = "1500" });
        first.Kill();
        Assert.Equal(1500, AdminHashIterations());

        var second = await StartAsync(new() { ["Latchkey__Passwords__Iterations"] = "4000" });
        using (var client = second.CreateClient())
        {
            await client.SignInAsync("admin", LatchkeyServerFactory.AdminPassword);
        }

        second.Kill();
        var reset = await ServerProcess.RunToExitAsync(Environment(new() { ["LATCHKEY_ADMIN_PASSWORD"] = "a-new-long-chosen-password", ["Latchkey__Passwords__Iterations"] = "4000" }), "reset-admin-password");
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal(4000, AdminHashIterations());
    }

    [Fact]
    public async Task Reset_admin_password_on_a_database_without_the_admin_fails_with_one_line()
    {
        var reset = await ServerProcess.RunToExitAsync(Environment(), "reset-admin-password");

        Assert.Equal(1, reset.ExitCode);
        var error = Assert.Single(Lines(reset.StandardError));
        Assert.StartsWith("reset-admin-password failed: there is no user 'admin'", error);
    }

    // ASP.NET Core Identity's v3 hash: format byte, PRF (4 bytes), iteration count (4 bytes, big-endian), salt, subkey.
    private int AdminHashIterations()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "latchkey.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT password_hash FROM users WHERE username = 'admin'";
        var hash = Convert.FromBase64String((string)command.ExecuteScalar()!);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5, 4));
    }

    private static string GeneratedPassword(string output)
    {
        var match = PasswordLine().Match(output);
        Assert.True(match.Success, "no generated password in:\n" + output);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"\(shown once[^\n]*\n\s+(\S{24})\s*\n")]
    private static partial Regex PasswordLine();
}

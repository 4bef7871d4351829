using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Latchkey.Testing;

/// <summary>
/// The PostgreSQL server the tests run against, one per test run. <c>LATCHKEY_TEST_POSTGRES</c>, when set, is the
/// connection string of a server of your own (its user must be allowed to create databases; nothing is started).
/// Otherwise the tests start a throw-away cluster: <c>initdb</c> into a temp folder (as the <c>postgres</c> user when
/// running as root, since PostgreSQL refuses to run as root), listening only on 127.0.0.1 on a free port with a
/// random password and its socket in that folder, without fsync. It is stopped and deleted when the test process
/// exits, whether the tests passed or not. A test that stops PostgreSQL itself gets a cluster of its own
/// (<see cref="StartOwnAsync"/>), started the same way.
/// </summary>
internal sealed class PostgresCluster
{
    public const string ConnectionVariable = "LATCHKEY_TEST_POSTGRES";

    private const string OsUser = "postgres";

    // The throw-away cluster is a Unix affair (initdb, runuser); on Windows, set the variable.
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(() => OperatingSystem.IsWindows()
        ? Task.FromResult(new PostgresCluster(Environment.GetEnvironmentVariable(ConnectionVariable) ?? throw new InvalidOperationException($"Set {ConnectionVariable} to a PostgreSQL connection string.")))
        : StartAsync());

    private static Action? _stop;

    private readonly OwnServer? _own;

    private PostgresCluster(string connectionString, OwnServer? own = null)
    {
        ConnectionString = connectionString;
        _own = own;
    }

    /// <summary>How to stop and start again a test's own cluster (never the shared one).</summary>
    private sealed record OwnServer(string Binaries, string Folder, string Options, bool AsOsUser)
    {
        public string Data => Path.Combine(Folder, "data");
    }

    /// <summary>A connection string with the right to create databases, to the server's maintenance database.</summary>
    public string ConnectionString { get; }

    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>A new, empty database in this cluster named <paramref name="prefix"/> and a random suffix: its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await connection.OpenAsync();
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the database <paramref name="connectionString"/> names (made by <see cref="CreateDatabaseAsync"/>), ending its connections.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await connection.OpenAsync();
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the cluster this run started, if any (the watchdog deletes it); called once the last test is done.</summary>
    public static void StopStarted() => Interlocked.Exchange(ref _stop, null)?.Invoke();

    /// <summary>
    /// A throw-away cluster for one test class alone, which it may stop and start again
    /// (<see cref="StopServerAsync"/>, <see cref="StartServerAsync"/>) without disturbing any other test; always
    /// started here, whatever <c>LATCHKEY_TEST_POSTGRES</c> says. Stopped when the process exits, or by
    /// <see cref="StopOwn"/>; the watchdog deletes it.
    /// </summary>
    public static Task<PostgresCluster> StartOwnAsync() => OperatingSystem.IsWindows()
        ? throw new PlatformNotSupportedException("A test's own PostgreSQL cluster needs initdb and pg_ctl on Linux.")
        : StartAsync(own: true);

    /// <summary>Stops this class's own cluster at once (immediate shutdown).</summary>
    public void StopOwn()
    {
        if (_own is not null)
        {
            Stop(_own.Folder);
        }
    }

    /// <summary>A fast shutdown of an own cluster (clients are disconnected, committed data is kept); returns once it is down.</summary>
    public Task StopServerAsync()
    {
        var own = _own ?? throw new InvalidOperationException("Only a cluster from StartOwnAsync can be stopped by a test.");
        return RunAsync(Path.Combine(own.Binaries, "pg_ctl"), ["-D", own.Data, "-m", "fast", "-w", "-t", "60", "stop"], own.AsOsUser);
    }

    /// <summary>Starts an own cluster stopped by <see cref="StopServerAsync"/> again, on the same port; returns once it accepts connections.</summary>
    public Task StartServerAsync()
    {
        var own = _own ?? throw new InvalidOperationException("Only a cluster from StartOwnAsync can be started by a test.");
        return PgCtlStartAsync(own);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<PostgresCluster> StartAsync(bool own = false)
    {
        if (!own && Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } configured)
        {
            return new PostgresCluster(configured);
        }

        var binaries = FindBinaries()
            ?? throw new InvalidOperationException(
                $"No PostgreSQL server binaries (initdb, pg_ctl) were found. Install Debian's 'postgresql' package, or set {ConnectionVariable} to a server's connection string.");
        var asOsUser = Environment.UserName == "root";
        // As root the folder is the postgres user's, under /tmp: root's own TMPDIR may be closed to other users.
        var folder = Path.Combine(asOsUser ? "/tmp" : Path.GetTempPath(), $"latchkey-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        StartWatchdog(folder);
        var cluster = default(PostgresCluster);
        try
        {
            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var passwordFile = Path.Combine(folder, "password");
            await File.WriteAllTextAsync(passwordFile, password);
            if (asOsUser)
            {
                await RunAsync("chown", ["-R", OsUser, folder]);
            }

            var data = Path.Combine(folder, "data");
            await RunAsync(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "-A", "scram-sha-256", "--pwfile", passwordFile, "-E", "UTF8", "--locale", "C", "--no-sync"], asOsUser);
            File.Delete(passwordFile);

            // Throw-away data: no fsync. Enough connections for the test classes that run at once, each with a pool.
            for (var attempt = 1; ; attempt++)
            {
                var port = own ? FreePortOutsideEphemeralRange() : FreePort();
                var server = new OwnServer(binaries, folder, $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", asOsUser);
                try
                {
                    await PgCtlStartAsync(server);
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    // The port was taken between finding it free and the server binding it.
                    continue;
                }

                var builder = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = "postgres",
                    Password = password,
                    Database = "postgres",
                };
                cluster = new PostgresCluster(builder.ConnectionString, own ? server : null);
                break;
            }
        }
        finally
        {
            if (own)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(folder);
                if (cluster is null)
                {
                    Stop(folder);
                }
            }
            else
            {
                // Stopped by the test framework at the end of the run (StopStarted), or when the process exits should
                // that not happen, or by the watchdog; at once if starting failed half-way.
                _stop = () => Stop(folder);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopStarted();
                if (cluster is null)
                {
                    StopStarted();
                }
            }
        }

        return cluster;
    }

    /// <summary>
    /// Immediate shutdown (SIGQUIT, which the server's children follow): nothing in the cluster is worth a checkpoint,
    /// and the runner ends the test process soon after the last test. The watchdog deletes the folder.
    /// </summary>
    private static void Stop(string folder)
    {
        try
        {
            var pidFile = Path.Combine(folder, "data", "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid))
            {
                _ = Kill(pid, SigQuit);
            }
        }
        catch (IOException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// A shell in a session of its own that outlives this process (whether it ends normally, crashes or is killed,
    /// or Ctrl+C reaches its process group): once this process is gone it stops the server, waits for it to exit
    /// and deletes the folder.
    /// </summary>
    private static void StartWatchdog(string folder)
    {
        const string Script = """
            while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
            pid=$(head -n 1 "$2/data/postmaster.pid" 2>/dev/null)
            if [ -n "$pid" ]; then
              kill -QUIT "$pid" 2>/dev/null
              while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
            fi
            rm -rf "$2"
            """;
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[] { "sh", "-c", Script, "watchdog", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), folder })
        {
            start.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("The cluster's watchdog did not start.");
    }

    private const int SigQuit = 3;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>
    /// Debian keeps the server binaries out of PATH, in /usr/lib/postgresql/VERSION/bin: the newest there, else
    /// wherever initdb is on PATH.
    /// </summary>
    private static string? FindBinaries()
    {
        static bool HasServer(string folder) => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

        const string Debian = "/usr/lib/postgresql";
        if (Directory.Exists(Debian))
        {
            var newest = Directory.GetDirectories(Debian)
                .Select(folder => (Folder: Path.Combine(folder, "bin"), Version: double.TryParse(Path.GetFileName(folder), System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : 0))
                .Where(candidate => HasServer(candidate.Folder))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Folder)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasServer);
    }

    private static Task PgCtlStartAsync(OwnServer server)
        => RunAsync(Path.Combine(server.Binaries, "pg_ctl"), ["-D", server.Data, "-l", Path.Combine(server.Folder, "server.log"), "-w", "-t", "60", "-o", server.Options, "start"], server.AsOsUser);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free port below the kernel's range for ephemeral ports: a cluster that a test stops and starts again must get
    /// its port back, and while it is stopped any outgoing connection of the run (HTTP clients, pools) could be given
    /// a port of that range as its own local port.
    /// </summary>
    private static int FreePortOutsideEphemeralRange()
    {
        var lowest = 32768;
        try
        {
            lowest = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(Math.Max(1024, lowest - 10_000), lowest);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        return FreePort();
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asOsUser = false)
    {
        var start = new ProcessStartInfo(asOsUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server's folder is the postgres user's; a working directory it cannot read makes initdb complain.
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asOsUser)
        {
            foreach (var argument in new[] { "-u", OsUser, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Git;

/// <summary>
/// Git over HTTP set up as docs/integrations.md describes it: the live Latchkey server, <c>fcgiwrap</c>, and nginx
/// running <c>deploy/nginx/git.conf</c> (the shipped file, its placeholders filled in) in front of
/// <c>git http-backend</c>, which serves bare repositories from a temporary project root. Everything (pid, logs,
/// nginx's temporary files, the socket, the repositories) lives in one temporary folder; nginx runs in the
/// foreground as one process, so this fixture owns every process it starts and stops them all in
/// <see cref="DisposeAsync"/>, also when starting failed half-way.
/// </summary>
public sealed class NginxGitServer : IAsyncLifetime
{
    public const string Nginx = "/usr/sbin/nginx";
    public const string Fcgiwrap = "/usr/sbin/fcgiwrap";
    public const string GitHttpBackend = "/usr/lib/git-core/git-http-backend";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("latchkey-git-").FullName;
    private readonly List<(string Name, Process Process, StringBuilder Output)> _processes = [];
    private LatchkeyForGit? _latchkey;

    /// <summary>Latchkey, trusting the nginx on 127.0.0.1 as its proxy, with password Git authentication allowed.</summary>
    public sealed class LatchkeyForGit : LiveServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Server:KnownProxies"] = "127.0.0.1",
            ["Latchkey:ForwardAuth:Git:AllowPasswords"] = "true",
        };
    }

    public LatchkeyForGit Latchkey => _latchkey ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>nginx's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseAddress { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary><c>GIT_PROJECT_ROOT</c>: <c>demo.git</c> here is <c>{BaseAddress}/demo.git</c>.</summary>
    public string ProjectRoot => Path.Combine(_folder, "repositories");

    /// <summary>A folder for the test's own files (clones, the git client's HOME).</summary>
    public string Scratch => Path.Combine(_folder, "scratch");

    public async Task InitializeAsync()
    {
        try
        {
            _latchkey = new LatchkeyForGit();
            Directory.CreateDirectory(ProjectRoot);
            Directory.CreateDirectory(Scratch);
            var temp = Directory.CreateDirectory(Path.Combine(_folder, "nginx-temp")).FullName;
            var home = Directory.CreateDirectory(Path.Combine(_folder, "backend-home")).FullName;

            // git http-backend inherits fcgiwrap's environment: give it a HOME of its own and no system config.
            var socket = Path.Combine(_folder, "fcgiwrap.sock");
            var fcgiwrap = Start("fcgiwrap", Fcgiwrap, ["-s", "unix:" + socket], new Dictionary<string, string>
            {
                ["PATH"] = "/usr/bin:/bin",
                ["HOME"] = home,
                ["GIT_CONFIG_NOSYSTEM"] = "1",
            });
            await WaitUntilAsync(() => File.Exists(socket), fcgiwrap, "fcgiwrap");

            var port = LoopbackPorts.Free();
            Port = port;
            BaseAddress = $"http://127.0.0.1:{port}";
            var site = Path.Combine(_folder, "git.conf");
            await File.WriteAllTextAsync(site, RenderSite(
                listen: $"127.0.0.1:{port}",
                latchkey: Latchkey.BaseAddress,
                fcgiwrapSocket: socket,
                projectRoot: ProjectRoot));
            var configuration = Path.Combine(_folder, "nginx.conf");
            await File.WriteAllTextAsync(configuration, MainConfiguration(temp, site));

            var errorLog = Path.Combine(_folder, "error.log");
            var nginx = Start("nginx", Nginx, ["-p", _folder, "-e", errorLog, "-c", configuration], new Dictionary<string, string>
            {
                ["PATH"] = "/usr/bin:/bin",
            });
            await WaitUntilAsync(() => Accepts(port), nginx, "nginx");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The shipped site file with this fixture's values in its placeholders.</summary>
    public static string RenderSite(string listen, string latchkey, string fcgiwrapSocket, string projectRoot)
    {
        var template = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "nginx", "git.conf"));
        var rendered = template
            .Replace("{{LISTEN}}", listen, StringComparison.Ordinal)
            .Replace("{{LATCHKEY}}", latchkey, StringComparison.Ordinal)
            .Replace("{{FCGIWRAP_SOCKET}}", fcgiwrapSocket, StringComparison.Ordinal)
            .Replace("{{GIT_HTTP_BACKEND}}", GitHttpBackend, StringComparison.Ordinal)
            .Replace("{{GIT_PROJECT_ROOT}}", projectRoot, StringComparison.Ordinal);
        // Only the header comment names the placeholders; a rendered directive never keeps one.
        var directives = string.Join('\n', rendered.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
        Assert.DoesNotContain("{{", directives, StringComparison.Ordinal);
        return rendered;
    }

    /// <summary>
    /// What Debian's /etc/nginx/nginx.conf gives the site, for a process the test owns: the foreground, one process,
    /// and every file nginx writes inside the fixture's folder.
    /// </summary>
    private string MainConfiguration(string temp, string site) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{Path.Combine(_folder, "nginx.pid")}};
        error_log {{Path.Combine(_folder, "error.log")}} warn;
        events {
            worker_connections 256;
        }
        http {
            access_log {{Path.Combine(_folder, "access.log")}};
            client_body_temp_path {{temp}}/client-body;
            proxy_temp_path {{temp}}/proxy;
            fastcgi_temp_path {{temp}}/fastcgi;
            uwsgi_temp_path {{temp}}/uwsgi;
            scgi_temp_path {{temp}}/scgi;
            include {{site}};
        }
        """;

    /// <summary>A new bare repository under the project root (<c>{name}.git</c>) with one commit on <c>main</c>.</summary>
    public async Task<string> CreateRepositoryAsync(string name)
    {
        var bare = Path.Combine(ProjectRoot, name + ".git");
        await GitCommand.RunCheckedAsync(Scratch, Scratch, "init", "--quiet", "--bare", "--initial-branch=main", bare);
        var seed = Path.Combine(Scratch, name + "-seed");
        await GitCommand.RunCheckedAsync(Scratch, Scratch, "init", "--quiet", "--initial-branch=main", seed);
        await File.WriteAllTextAsync(Path.Combine(seed, "README.md"), $"# {name}\n");
        await GitCommand.RunCheckedAsync(Scratch, seed, "add", "README.md");
        await GitCommand.RunCheckedAsync(Scratch, seed, "commit", "--quiet", "-m", "First commit");
        await GitCommand.RunCheckedAsync(Scratch, seed, "push", "--quiet", bare, "main");
        return bare;
    }

    /// <summary>What nginx and fcgiwrap printed so far, for a failing test's message.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        foreach (var (name, _, output) in _processes)
        {
            lock (output)
            {
                text.Append("--- ").Append(name).Append('\n').Append(output);
            }
        }

        var errorLog = Path.Combine(_folder, "error.log");
        if (File.Exists(errorLog))
        {
            text.Append("--- nginx error.log\n").Append(File.ReadAllText(errorLog));
        }

        return text.ToString();
    }

    public Task DisposeAsync()
    {
        // nginx first, so no request reaches a stopped fcgiwrap; then Latchkey; then the folder.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            var process = _processes[i].Process;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        _processes.Clear();
        _latchkey?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private Process Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (output)
                {
                    output.Append(line.Data).Append('\n');
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        if (!File.Exists(fileName))
        {
            throw new InvalidOperationException($"{fileName} is missing: the Git tests need nginx, fcgiwrap and git (.ci/run installs them).");
        }

        process.Start();
        _processes.Add((name, process, output));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilAsync(Func<bool> ready, Process process, string name)
    {
        var deadline = Stopwatch.StartNew();
        while (!ready())
        {
            if (process.HasExited || deadline.Elapsed > StartTimeout)
            {
                var why = process.HasExited ? $"exited with {process.ExitCode}" : $"was not ready within {StartTimeout.TotalSeconds} s";
                throw new InvalidOperationException($"{name} {why}.\n{Diagnostics()}");
            }

            await Task.Delay(50);
        }
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

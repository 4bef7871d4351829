using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Nginx;

/// <summary>
/// The two nginx sites of docs/integrations.md in front of the live Latchkey server, each the shipped file with its
/// placeholders filled in: <c>deploy/nginx/git.conf</c> (Git over HTTP: <c>fcgiwrap</c> and <c>git http-backend</c>
/// serving bare repositories from a temporary project root) and <c>deploy/nginx/forward-auth.conf</c> (any service;
/// here a test server block that echoes the identity headers it receives). Everything (pid, logs, nginx's temporary
/// files, the socket, the repositories) lives in one temporary folder; nginx runs in the foreground as one process,
/// so this fixture owns every process it starts and stops them all in <see cref="DisposeAsync"/>, also when starting
/// failed half-way.
/// </summary>
public sealed class NginxServer : IAsyncLifetime
{
    public const string Nginx = "/usr/sbin/nginx";
    public const string Fcgiwrap = "/usr/sbin/fcgiwrap";
    public const string GitHttpBackend = "/usr/lib/git-core/git-http-backend";

    /// <summary>The rule <see cref="ProxiedLatchkey"/> adds: paths under it need <c>api</c>.</summary>
    public const string AdminPrefix = "/admin/";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("latchkey-nginx-").FullName;
    private readonly List<(string Name, Process Process, StringBuilder Output)> _processes = [];
    private ProxiedLatchkey? _latchkey;

    /// <summary>
    /// Latchkey trusting the nginx on 127.0.0.1 as its proxy, with password Git authentication allowed and one rule
    /// for the service site (<see cref="AdminPrefix"/> needs <c>api</c>; anything else any valid credential).
    /// </summary>
    public sealed class ProxiedLatchkey : LiveServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Server:KnownProxies"] = "127.0.0.1",
            ["Latchkey:ForwardAuth:Git:AllowPasswords"] = "true",
            ["Latchkey:ForwardAuth:Rules:0:PathPrefix"] = AdminPrefix,
            ["Latchkey:ForwardAuth:Rules:0:Scopes:0"] = "api",
        };
    }

    public ProxiedLatchkey Latchkey => _latchkey ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The Git site's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string GitAddress { get; private set; } = "";

    public int GitPort { get; private set; }

    /// <summary>The service site's address (forward-auth.conf in front of the echoing service).</summary>
    public string ServiceAddress { get; private set; } = "";

    /// <summary><c>GIT_PROJECT_ROOT</c>: <c>demo.git</c> here is <c>{GitAddress}/demo.git</c>.</summary>
    public string ProjectRoot => Path.Combine(_folder, "repositories");

    /// <summary>A folder for the test's own files (clones, the git client's HOME).</summary>
    public string Scratch => Path.Combine(_folder, "scratch");

    public async Task InitializeAsync()
    {
        try
        {
            _latchkey = new ProxiedLatchkey();
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

            GitPort = LoopbackPorts.Free();
            GitAddress = $"http://127.0.0.1:{GitPort}";
            var gitSite = Path.Combine(_folder, "git.conf");
            await File.WriteAllTextAsync(gitSite, Render("git.conf", new Dictionary<string, string>
            {
                ["LISTEN"] = $"127.0.0.1:{GitPort}",
                ["LATCHKEY"] = Latchkey.BaseAddress,
                ["FCGIWRAP_SOCKET"] = socket,
                ["GIT_HTTP_BACKEND"] = GitHttpBackend,
                ["GIT_PROJECT_ROOT"] = ProjectRoot,
            }));

            var servicePort = LoopbackPorts.Free();
            var echoPort = LoopbackPorts.Free();
            ServiceAddress = $"http://127.0.0.1:{servicePort}";
            var serviceSite = Path.Combine(_folder, "forward-auth.conf");
            await File.WriteAllTextAsync(serviceSite, Render("forward-auth.conf", new Dictionary<string, string>
            {
                ["LISTEN"] = $"127.0.0.1:{servicePort}",
                ["LATCHKEY_ADDRESS"] = new Uri(Latchkey.BaseAddress).Authority,
                ["UPSTREAM"] = $"http://127.0.0.1:{echoPort}",
            }));

            var configuration = Path.Combine(_folder, "nginx.conf");
            await File.WriteAllTextAsync(configuration, MainConfiguration(temp, [gitSite, serviceSite], echoPort));

            var errorLog = Path.Combine(_folder, "error.log");
            var nginx = Start("nginx", Nginx, ["-p", _folder, "-e", errorLog, "-c", configuration], new Dictionary<string, string>
            {
                ["PATH"] = "/usr/bin:/bin",
            });
            await WaitUntilAsync(() => Accepts(GitPort) && Accepts(servicePort) && Accepts(echoPort), nginx, "nginx");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A shipped site file (<c>deploy/nginx/{name}</c>) with <paramref name="values"/> in its placeholders.</summary>
    internal static string Render(string name, IReadOnlyDictionary<string, string> values)
    {
        var rendered = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "nginx", name));
        foreach (var (placeholder, value) in values)
        {
            rendered = rendered.Replace("{{" + placeholder + "}}", value, StringComparison.Ordinal);
        }

        // Only the header comment names the placeholders; a rendered directive never keeps one.
        var directives = string.Join('\n', rendered.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
        Assert.DoesNotContain("{{", directives, StringComparison.Ordinal);
        return rendered;
    }

    /// <summary>
    /// The main configuration for these sites: theirs and the service behind forward-auth.conf, which answers with the
    /// identity headers it received, so a test sees what the upstream sees.
    /// </summary>
    private string MainConfiguration(string temp, IEnumerable<string> sites, int echoPort) => HostConfiguration(_folder, temp, sites, $$"""
        server {
            listen 127.0.0.1:{{echoPort}};
            location / {
                default_type text/plain;
                return 200 "user=$http_x_latchkey_user user_id=$http_x_latchkey_user_id token_id=$http_x_latchkey_token_id scopes=$http_x_latchkey_scopes uri=$request_uri\n";
            }
        }
        """);

    /// <summary>
    /// What Debian's /etc/nginx/nginx.conf gives the sites, for a process the test owns: the foreground, one process,
    /// and every file nginx writes inside <paramref name="folder"/>; <paramref name="servers"/> are further server
    /// blocks.
    /// </summary>
    internal static string HostConfiguration(string folder, string temp, IEnumerable<string> sites, string servers = "") => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{Path.Combine(folder, "nginx.pid")}};
        error_log {{Path.Combine(folder, "error.log")}} warn;
        events {
            worker_connections 256;
        }
        http {
            access_log {{Path.Combine(folder, "access.log")}};
            client_body_temp_path {{temp}}/client-body;
            proxy_temp_path {{temp}}/proxy;
            fastcgi_temp_path {{temp}}/fastcgi;
            uwsgi_temp_path {{temp}}/uwsgi;
            scgi_temp_path {{temp}}/scgi;
        {{string.Join('\n', sites.Select(site => $"    include {site};"))}}
        {{servers}}
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

    internal static bool Accepts(int port)
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

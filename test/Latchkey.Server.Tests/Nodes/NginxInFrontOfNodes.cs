using System.Diagnostics;
using System.Text;
using Latchkey.Server.Tests.Durability;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Nginx;

namespace Latchkey.Server.Tests.Nodes;

/// <summary>
/// nginx running the shipped <c>deploy/nginx/nodes.conf</c>, its placeholders filled in with two real nodes, in the
/// foreground as one process this object owns; its pid, logs and temporary files in a temporary folder of its own.
/// </summary>
public sealed class NginxInFrontOfNodes : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("latchkey-nodes-nginx-").FullName;
    private readonly StringBuilder _output = new();
    private Process? _nginx;

    private NginxInFrontOfNodes()
    {
    }

    /// <summary>Where clients reach the nodes, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<NginxInFrontOfNodes> StartAsync(ServerProcess a, ServerProcess b)
    {
        var nginx = new NginxInFrontOfNodes();
        try
        {
            await nginx.RunAsync(a, b);
            return nginx;
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>What nginx printed and logged, for a failing test's message.</summary>
    public string Diagnostics()
    {
        var errorLog = Path.Combine(_folder, "error.log");
        lock (_output)
        {
            return $"--- nginx\n{_output}--- error.log\n{(File.Exists(errorLog) ? File.ReadAllText(errorLog) : string.Empty)}";
        }
    }

    public void Dispose()
    {
        try
        {
            if (_nginx is { HasExited: false })
            {
                _nginx.Kill(entireProcessTree: true);
                _nginx.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _nginx?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task RunAsync(ServerProcess a, ServerProcess b)
    {
        if (!File.Exists(NginxServer.Nginx))
        {
            throw new InvalidOperationException($"{NginxServer.Nginx} is missing: the nginx tests need Debian's nginx (.ci/run installs it).");
        }

        var port = LoopbackPorts.Free();
        Address = new Uri($"http://127.0.0.1:{port}");
        var site = Path.Combine(_folder, "nodes.conf");
        await File.WriteAllTextAsync(site, NginxServer.Render("nodes.conf", new Dictionary<string, string>
        {
            ["LISTEN"] = $"127.0.0.1:{port}",
            ["NODE_A"] = a.Address.Authority,
            ["NODE_B"] = b.Address.Authority,
        }));

        var temp = Directory.CreateDirectory(Path.Combine(_folder, "temp")).FullName;
        var configuration = Path.Combine(_folder, "nginx.conf");
        await File.WriteAllTextAsync(configuration, NginxServer.HostConfiguration(_folder, temp, [site]));

        var start = new ProcessStartInfo(NginxServer.Nginx)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var argument in new[] { "-p", _folder, "-e", Path.Combine(_folder, "error.log"), "-c", configuration })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        _nginx = new Process { StartInfo = start };
        _nginx.OutputDataReceived += (_, line) => Append(line.Data);
        _nginx.ErrorDataReceived += (_, line) => Append(line.Data);
        _nginx.Start();
        _nginx.BeginOutputReadLine();
        _nginx.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!NginxServer.Accepts(port))
        {
            if (_nginx.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"nginx did not start with nodes.conf.\n{Diagnostics()}");
            }

            await Task.Delay(50);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Append(line).Append('\n');
            }
        }
    }
}

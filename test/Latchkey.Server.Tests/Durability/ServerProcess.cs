using System.Diagnostics;
using System.Net;
using System.Text;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Durability;

/// <summary>
/// The real server as its own operating-system process (the build output of Latchkey.Server, run with
/// <c>dotnet Latchkey.Server.dll</c>), configured only through its documented environment variables and
/// <c>--urls</c>, on a free loopback port. <see cref="Kill"/> is SIGKILL on Linux: no shutdown hook runs.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    // A limit, not a wait: the loop returns as soon as the server answers. With the web UI (MVC's first-request set-up,
    // Data Protection's key ring) a start took 17 s instead of 10 s on a 2-core machine at load average 33, which 20 s
    // did not always cover while the browser tests ran beside these.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server on the database and key file in <paramref name="dataDirectory"/> and waits until it serves.</summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, string adminPassword)
        => StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Latchkey"] = $"Data Source={Path.Combine(dataDirectory, "latchkey.db")}",
            ["Latchkey__Hashing__KeyFile"] = Path.Combine(dataDirectory, "hashing-keys.json"),
            ["LATCHKEY_ADMIN_PASSWORD"] = adminPassword,
        });

    /// <summary>
    /// Starts the server with these environment variables, from <paramref name="workingDirectory"/> (by default the
    /// server's own folder), and waits until it serves.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var address = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        var start = StartInfo(environment, workingDirectory, "--urls", address.ToString().TrimEnd('/'));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, line) => server.Append(line.Data);
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Runs the server's program with these arguments to its end (a command, or a start that fails).</summary>
    public static Task<ExternalProcess.Outcome> RunToExitAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = StartInfo(environment, null, arguments);
        return ExternalProcess.RunAsync(start.FileName, start.ArgumentList, start.WorkingDirectory, start.Environment.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!), TimeSpan.FromSeconds(60));
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public void Kill()
    {
        if (!HasExited())
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(2);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (HasExited())
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before serving:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The server was not ready (/health/ready) within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    private bool HasExited()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true; // never started
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, string? workingDirectory, params string[] arguments)
    {
        var serverDll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(serverDll)!,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Latchkey__Passwords__Iterations"] = LatchkeyServerFactory.PasswordIterations;
        start.Environment.Remove("LATCHKEY_ADMIN_PASSWORD");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    // The muxer that runs this test also runs the server; the SDK names it in DOTNET_HOST_PATH.
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}

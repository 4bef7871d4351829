using Latchkey.Server.Tests.Durability;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>A test that runs the real server process in a private temporary folder, removed afterwards.</summary>
[LongRunning]
public abstract class ServerProcessTest : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("latchkey-startup-").FullName;
    private readonly List<ServerProcess> _servers = [];

    protected string Root => _root;

    protected string DataDirectory => Path.Combine(_root, "data");

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }

    protected static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    protected Dictionary<string, string> Environment(Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string> { ["Latchkey__DataDirectory"] = DataDirectory };
        foreach (var (key, value) in extra ?? new())
        {
            environment[key] = value;
        }

        return environment;
    }

    protected async Task<ServerProcess> StartAsync(Dictionary<string, string> environment, string? workingDirectory = null)
    {
        var server = await ServerProcess.StartAsync(workingDirectory is null ? Environment(environment) : environment, workingDirectory);
        _servers.Add(server);
        return server;
    }
}

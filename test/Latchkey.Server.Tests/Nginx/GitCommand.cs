using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Nginx;

/// <summary>
/// Runs the real <c>git</c> in a clean environment: a HOME of its own under the test's scratch folder, no system or
/// global configuration and so no credential helper, terminal prompts off (git fails where it would ask), English
/// messages. Anything else it needs (<c>GIT_ASKPASS</c>) the test passes in.
/// </summary>
public static class GitCommand
{
    public static Task<ExternalProcess.Outcome> RunAsync(
        string scratch,
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var home = Directory.CreateDirectory(Path.Combine(scratch, "git-home")).FullName;
        var clean = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["HOME"] = home,
            ["LANG"] = "C",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_AUTHOR_NAME"] = "Alice Example",
            ["GIT_AUTHOR_EMAIL"] = "alice@example.com",
            ["GIT_COMMITTER_NAME"] = "Alice Example",
            ["GIT_COMMITTER_EMAIL"] = "alice@example.com",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            clean[key] = value;
        }

        return ExternalProcess.RunAsync("git", arguments, workingDirectory, clean, TimeSpan.FromMinutes(1), inheritEnvironment: false);
    }

    /// <summary>Runs git and fails the test, showing what git printed, unless it succeeded.</summary>
    public static async Task<ExternalProcess.Outcome> RunCheckedAsync(string scratch, string workingDirectory, params string[] arguments)
    {
        var outcome = await RunAsync(scratch, workingDirectory, arguments);
        Assert.True(outcome.ExitCode == 0, $"git {string.Join(' ', arguments)}: {outcome}");
        return outcome;
    }
}

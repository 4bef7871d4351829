using System.Text.RegularExpressions;

namespace Latchkey.Browser.Tests.Infrastructure;

/// <summary>Seed 002 as published (test/Latchkey.Server.Tests/Seeds), read from the repository.</summary>
public static partial class Seed
{
    public static string Text { get; } = File.ReadAllText(Path.Combine(RepositoryRoot(), "test", "Latchkey.Server.Tests", "Seeds", "002_ed4b4dcbdc1c74bc.txt"));

    /// <summary>The words the seed sets in bold (**Access tokens**, **Create personal access token**, **Revoke** …): the page's controls.</summary>
    public static IReadOnlyList<string> BoldWords => Bold().Matches(Text).Select(m => m.Groups[1].Value).Distinct().ToList();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Latchkey.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Latchkey.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();
}

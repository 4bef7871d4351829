namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>Finds files of the repository (seeds, node clients) from a test's bin folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The npm project with the pinned API clients (installed by the test project's build).</summary>
    public static string Clients => Path.Combine(Root, "test", "clients");

    /// <summary>The seed documents the seed tests replay, kept in the repository as test data (see its README.md).</summary>
    public static string Seeds => Path.Combine(Root, "test", "Latchkey.Server.Tests", "Seeds");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Latchkey.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Latchkey.slnx not found above " + AppContext.BaseDirectory);
    }
}

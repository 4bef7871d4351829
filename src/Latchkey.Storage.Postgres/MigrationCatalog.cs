using System.Globalization;

namespace Latchkey.Storage.Postgres;

/// <summary>The migrations this build knows: the embedded <c>Migrations/NNNN_name.sql</c> files, in version order.</summary>
internal static class MigrationCatalog
{
    private const string Folder = ".Migrations.";
    private const string Extension = ".sql";

    private static readonly Lazy<IReadOnlyList<Migration>> Loaded = new(Load);

    public static IReadOnlyList<Migration> All => Loaded.Value;

    public static int LatestVersion => All[^1].Version;

    private static Migration[] Load()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var folder = resource.IndexOf(Folder, StringComparison.Ordinal);
            if (folder < 0 || !resource.EndsWith(Extension, StringComparison.Ordinal))
            {
                continue;
            }

            var file = resource[(folder + Folder.Length)..^Extension.Length];
            var separator = file.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0
                || !int.TryParse(file.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                || version <= 0)
            {
                throw new InvalidOperationException($"The migration '{resource}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, file[(separator + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share version {migrations[i].Version}.");
            }
        }

        return migrations.Count > 0 ? [.. migrations] : throw new InvalidOperationException("No migrations are embedded.");
    }
}

using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;

namespace Latchkey.Storage;

/// <summary>
/// The migrations a store's build knows: the <c>Migrations/NNNN_name.sql</c> files embedded in its assembly, in
/// version order, and how one is applied and recorded in <c>schema_migrations</c>. Each store keeps one catalog.
/// </summary>
internal sealed class MigrationCatalog
{
    private const string Folder = ".Migrations.";
    private const string Extension = ".sql";

    private readonly Lazy<IReadOnlyList<Migration>> _loaded;

    /// <param name="assembly">The store's assembly, whose embedded migrations these are.</param>
    public MigrationCatalog(Assembly assembly)
    {
        _loaded = new(() => Load(assembly));
    }

    public IReadOnlyList<Migration> All => _loaded.Value;

    public int LatestVersion => All[^1].Version;

    /// <summary>Runs <paramref name="migration"/> and records it as applied at <paramref name="appliedAt"/>, in <paramref name="transaction"/>.</summary>
    public static async Task ApplyAsync(DbConnection connection, DbTransaction transaction, Migration migration, DateTimeOffset appliedAt, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
            new { migration.Version, migration.Name, AppliedAt = UnixTime.ToStore(appliedAt) },
            transaction,
            cancellationToken: cancellationToken));
    }

    private static Migration[] Load(Assembly assembly)
    {
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

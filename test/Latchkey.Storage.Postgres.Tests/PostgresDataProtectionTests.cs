using Dapper;
using Latchkey.Stores;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Latchkey.Storage.Postgres.Tests;

/// <summary>
/// Data Protection's key ring in the database (<c>PersistKeysToLatchkeyPostgres</c>): each node here is a service
/// provider of its own, as the server composes it, over one database.
/// </summary>
public sealed class PostgresDataProtectionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const string Purpose = "Latchkey.Tests.TwoFactorSecret";

    private readonly List<ServiceProvider> _nodes = [];

    [Fact]
    public async Task Nodes_starting_together_on_a_new_database_share_one_key_and_read_what_the_other_protected()
    {
        var connectionString = await database.NewSchemaAsync();
        var a = Node(connectionString);
        var b = Node(connectionString);

        // Both migrate at once, as two nodes started together do: one of them makes the first key, under the lock,
        // before either protects anything (left to Data Protection, each would make its own on first use).
        await Task.WhenAll(MigrateAsync(a), MigrateAsync(b));
        var name = Assert.Single(await NamesAsync(connectionString));
        Assert.Matches("^key-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", name);

        var protectedAtOnce = await Task.WhenAll(
            Task.Run(() => Protector(a).Protect("JBSWY3DPEHPK3PXP")),
            Task.Run(() => Protector(b).Protect("KRSXG5DSNFXGOIDB")));
        Assert.Equal("JBSWY3DPEHPK3PXP", Protector(b).Unprotect(protectedAtOnce[0]));
        Assert.Equal("KRSXG5DSNFXGOIDB", Protector(a).Unprotect(protectedAtOnce[1]));
        Assert.Equal([name], await NamesAsync(connectionString));

        // A node started later, or restarted, reads the same key rather than making one.
        var c = Node(connectionString);
        await MigrateAsync(c);
        Assert.Equal("JBSWY3DPEHPK3PXP", Protector(c).Unprotect(protectedAtOnce[0]));
        Assert.Single(await NamesAsync(connectionString));
    }

    [Fact]
    public async Task Key_files_copied_into_the_table_by_their_file_names_keep_what_they_protected_readable()
    {
        var connectionString = await database.NewSchemaAsync();
        var folder = Directory.CreateTempSubdirectory("latchkey-dp-keys-");
        try
        {
            var single = new ServiceCollection();
            single.AddDataProtection().SetApplicationName("Latchkey").PersistKeysToFileSystem(folder);
            var fileNode = single.BuildServiceProvider();
            _nodes.Add(fileNode);
            var protectedOnSqlite = Protector(fileNode).Protect("JBSWY3DPEHPK3PXP");

            var node = Node(connectionString);
            await MigrateAsync(node);
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                // What moving from SQLite does: the table holds no key of its own yet when nothing used it.
                await connection.ExecuteAsync("DELETE FROM data_protection_keys");
                foreach (var file in folder.GetFiles("*.xml"))
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@Name, @Xml)",
                        new { Name = Path.GetFileNameWithoutExtension(file.Name), Xml = await File.ReadAllTextAsync(file.FullName) });
                }
            }

            Assert.Equal("JBSWY3DPEHPK3PXP", Protector(node).Unprotect(protectedOnSqlite));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Keeping_keys_in_PostgreSQL_without_the_store_says_what_is_missing()
    {
        var services = new ServiceCollection();
        services.AddDataProtection().PersistKeysToLatchkeyPostgres();
        var node = services.BuildServiceProvider();
        _nodes.Add(node);

        var failure = Assert.Throws<InvalidOperationException>(() => Protector(node).Protect("secret"));

        Assert.Contains("AddLatchkeyPostgresStore", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
    }

    private ServiceProvider Node(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLatchkeyPostgresStore(connectionString);
        services.AddDataProtection().SetApplicationName("Latchkey").PersistKeysToLatchkeyPostgres();
        var node = services.BuildServiceProvider();
        _nodes.Add(node);
        return node;
    }

    private static Task MigrateAsync(IServiceProvider node)
        => Task.Run(() => node.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None));

    private static IDataProtector Protector(IServiceProvider node)
        => node.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    private static async Task<List<string>> NamesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return [.. await connection.QueryAsync<string>("SELECT friendly_name FROM data_protection_keys")];
    }
}

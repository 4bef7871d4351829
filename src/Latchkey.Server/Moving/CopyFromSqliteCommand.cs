using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using Latchkey.Server.Hosting;
using Latchkey.Stores;
using Latchkey.Tokens;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Latchkey.Server.Moving;

/// <summary>
/// <c>copy-from-sqlite [file]</c>: moves a SQLite installation (by default the one in the data folder) into the
/// PostgreSQL database the server is configured for (<c>Latchkey:Storage:Provider=Postgres</c>,
/// <c>ConnectionStrings:Latchkey</c>). Users, tokens (their hashes; no secret exists to copy), the audit log and the
/// rest, in one transaction, showing progress; a refusal, an error or Ctrl+C leaves the database without any of it.
/// </summary>
internal static class CopyFromSqliteCommand
{
    public const string CommandName = "copy-from-sqlite";

    private const string Failed = CommandName + " failed: ";

    /// <param name="args">The arguments after the command's name: the SQLite file first if given, then settings as for the server.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        var (file, settings) = Split(args);
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        try
        {
            await CopyAsync(file, settings, output, interrupt.Token);
            return 0;
        }
        catch (Exception) when (interrupt.IsCancellationRequested)
        {
            await error.WriteLineAsync($"{CommandName} stopped: interrupted; the transaction was rolled back and nothing was copied.");
        }
        catch (Exception failure) when (failure is StartupFailure or CopyFailure)
        {
            await error.WriteLineAsync(Failed + failure.Message);
        }
        catch (PostgresException refused)
        {
            // The server's own words and the table it was writing; the row's values (Detail) stay out of it.
            var table = refused.TableName is { } name ? $" (table {name})" : string.Empty;
            await error.WriteLineAsync($"{Failed}PostgreSQL refused the copy: {refused.SqlState}: {OneLine(refused.MessageText)}{table}; the transaction was rolled back and nothing was copied.");
        }
        catch (NpgsqlException unreachable)
        {
            await error.WriteLineAsync($"{Failed}PostgreSQL: {OneLine(unreachable.Message)}; nothing was copied.");
        }
        catch (SqliteException unreadable)
        {
            await error.WriteLineAsync($"{Failed}reading the SQLite database: {OneLine(unreadable.Message)}; nothing was copied.");
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            // A file or folder this user may not read (the keys folder, say): the system's words name it.
            await error.WriteLineAsync($"{Failed}{OneLine(unreadable.Message)}; nothing was copied.");
        }

        return 1;

        void Interrupt(PosixSignalContext context)
        {
            // Not the process's default (which would end it before the rollback): cancel, roll back, then exit 1.
            context.Cancel = true;
            interrupt.Cancel();
        }
    }

    private static async Task CopyAsync(string? file, string[] settings, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = settings, ContentRootPath = AppContext.BaseDirectory });
        builder.AddLatchkeyServer();
        await using var app = builder.Build();
        var configuration = app.Configuration;
        if (!ServerDefaults.UsesPostgres(configuration))
        {
            throw new CopyFailure(
                $"the copy goes into PostgreSQL, but {ServerDefaults.StorageProviderKey} is '{configuration[ServerDefaults.StorageProviderKey]}'; " +
                $"run it with Latchkey__Storage__Provider={ServerDefaults.PostgresProvider} and ConnectionStrings__{ServerDefaults.ConnectionStringName} " +
                "set to the new database. Nothing was copied.");
        }

        var dataDirectory = configuration[ServerDefaults.DataDirectoryKey]!;
        var source = Path.GetFullPath(file ?? ServerDefaults.SqliteDatabaseFile(dataDirectory));

        // The keys of the installation whose database this is: beside the file (for the default file, the data folder's).
        var keysFolder = file is null
            ? ServerDefaults.DataProtectionKeysFolder(configuration)
            : Path.Combine(Path.GetDirectoryName(source)!, Path.GetFileName(ServerDefaults.DataProtectionKeysFolder(configuration)));
        var connectionString = configuration.GetConnectionString(ServerDefaults.ConnectionStringName)!;
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        await output.WriteLineAsync($"Copying {source} into PostgreSQL database '{target.Database ?? target.Username}' on {target.Host}:{target.Port}, in one transaction.");

        await using var sqlite = await SqliteSource.OpenAsync(source, output, cancellationToken);
        try
        {
            await app.Services.GetRequiredService<IStoreMigrator>().MigrateAsync(cancellationToken);
        }
        catch (Exception unusable) when (unusable is DbException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw new CopyFailure($"ConnectionStrings:{ServerDefaults.ConnectionStringName}: the PostgreSQL database cannot be used: {OneLine(unusable.Message)}", unusable);
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var summary = await new SqliteToPostgresCopy(sqlite, keysFolder, output).RunAsync(connection, cancellationToken);
        // What the nodes' start-up check will read: the key ids the copied tokens and codes need, and which were recorded.
        var hashingKeys = app.Services.GetRequiredService<IHashingKeyStore>();
        var keyIds = await hashingKeys.ListKeyIdsInUseAsync(DateTimeOffset.UtcNow, cancellationToken);
        var recorded = await hashingKeys.ListRecordedAsync(cancellationToken);
        IReadOnlyList<string> unrecorded = [.. keyIds.Where(id => !recorded.Any(key => key.KeyId == id)).Order(StringComparer.Ordinal)];
        if (unrecorded.Count > 0 && InstallationKeyFile(configuration, source) is { } keyFile && await RecordKeysAsync(app.Services, cancellationToken))
        {
            await output.WriteLineAsync($"Hashing keys: recorded the check value of {string.Join(", ", unrecorded)} from this installation's key file {keyFile}; a node holding a different key under that id refuses to start.");
            unrecorded = [];
        }

        await ReportAsync(output, summary, keysFolder, keyIds, unrecorded, configuration);
    }

    /// <summary>
    /// The key file the SQLite server used, when the copy can be sure of it: the configured file, existing (never one
    /// this command would create), in the folder of the database being copied, and no keys in configuration instead.
    /// </summary>
    private static string? InstallationKeyFile(IConfiguration configuration, string source)
    {
        if (ServerDefaults.HashingKeyFile(configuration) is not { Length: > 0 } configured)
        {
            return null;
        }

        var keyFile = Path.GetFullPath(configured);
        return File.Exists(keyFile) && string.Equals(Path.GetDirectoryName(keyFile), Path.GetDirectoryName(source), StringComparison.Ordinal) ? keyFile : null;
    }

    /// <summary>
    /// What a node does when it starts, done now: compares the installation's keys with the copied tokens and records
    /// their check values, so the nodes' start-up check has something to compare with. False (and nothing recorded)
    /// when the file lacks a key the tokens need; the summary's warning then stands.
    /// </summary>
    private static async Task<bool> RecordKeysAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<HashingKeyCheck>().VerifyAsync(cancellationToken);
            return true;
        }
        catch (HashingKeyMismatchException)
        {
            return false;
        }
    }

    /// <param name="unrecorded">Key ids of <paramref name="keyIds"/> without a check value: the nodes cannot tell a wrong key under them.</param>
    private static async Task ReportAsync(TextWriter output, CopySummary summary, string keysFolder, IReadOnlyList<string> keyIds, IReadOnlyList<string> unrecorded, IConfiguration configuration)
    {
        var counts = string.Join(", ", summary.Tables.Select(table => string.Create(CultureInfo.InvariantCulture, $"{table.Table} {table.Rows:N0}")));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Committed in {summary.Elapsed.TotalSeconds:0.0} s: {counts}."));
        if (summary.DataProtectionKeys is { } keys)
        {
            await output.WriteLineAsync(keys > 0
                ? $"Data Protection keys: {keys} from {keysFolder}, now in the database; two-factor secrets and open sign-ins keep working on every node."
                : $"Data Protection keys: none found in {keysFolder}; what the SQLite server encrypted with its keys (two-factor secrets) cannot be read by the nodes.");
        }
        else
        {
            await output.WriteLineAsync(
                $"Data Protection keys: this database keeps none, so every node reads them from its own data folder: copy {keysFolder} there, " +
                "or users with two-factor authentication cannot sign in and forms open in a browser must be reloaded.");
        }

        if (keyIds.Count > 0)
        {
            var keyFile = ServerDefaults.HashingKeyFile(configuration) ?? "Latchkey:Hashing:Keys";
            await output.WriteLineAsync(
                $"Hashing keys: tokens and recovery codes are hashed under key id(s) {string.Join(", ", keyIds.Order(StringComparer.Ordinal))}; " +
                $"give every node the same keys ({keyFile}), or no copied token will work.");
        }

        if (unrecorded.Count > 0)
        {
            // The start-up check compares a node's key with the check value the first user of its id recorded; without
            // one, the first node to start records its own key, right or wrong.
            await output.WriteLineAsync(
                $"Hashing keys: the SQLite database recorded no check value for {string.Join(", ", unrecorded)} (its server last ran on an earlier release), " +
                "so a node holding a different key under that id is not refused at start-up but turns every copied token away: " +
                "put the installation's keys on each node before its first start.");
        }

        await output.WriteLineAsync(
            $"Next: start the nodes with Latchkey__Storage__Provider={ServerDefaults.PostgresProvider} and this connection string. The SQLite installation is as it was; keep it as a backup, but do not serve from it again.");
    }

    /// <summary>The SQLite file is the first argument if it is not a setting (<c>--key=value</c>, <c>key=value</c>).</summary>
    private static (string? File, string[] Settings) Split(string[] args)
        => args is [var first, .. var rest] && !first.StartsWith("--", StringComparison.Ordinal) && !first.Contains('=', StringComparison.Ordinal)
            ? (first, rest)
            : (null, args);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

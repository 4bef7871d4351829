using System.Globalization;
using System.Text.Json;
using Latchkey.Server.Users;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Hosting;

/// <summary>
/// What the server checks before it writes anything: it says where its data is, validates every setting, the
/// listening addresses and the administrator password, and makes the data folders private. A problem stops
/// start-up as a <see cref="StartupFailure"/> before the database, the key file or the administrator exist.
/// </summary>
internal static partial class StartupChecks
{
    private const UnixFileMode OthersMayAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void CheckLatchkeySetup(this WebApplication app)
    {
        var postgres = ServerDefaults.UsesPostgres(app.Configuration);
        var database = postgres ? null : DatabaseFile(app.Configuration);
        var keyFile = ServerDefaults.HashingKeyFile(app.Configuration);
        LogDataLocation(
            app.Logger,
            postgres ? PostgresDatabase(app.Configuration) : database ?? "(not a file)",
            keyFile is null ? "(in configuration)" : Path.GetFullPath(keyFile));

        ValidateOptions(app.Services);
        CheckUrls(app.Configuration["urls"]);
        if (app.Configuration[AdminBootstrapper.PasswordVariable] is { Length: > 0 } password && UserManager.CheckPassword(password) is { } problem)
        {
            throw new StartupFailure($"{AdminBootstrapper.PasswordVariable}: {problem.Message}");
        }

        foreach (var folder in new[] { database, keyFile }.OfType<string>().Select(file => Path.GetDirectoryName(Path.GetFullPath(file))!).Distinct())
        {
            PrepareFolder(app.Logger, folder);
        }

        if (!postgres)
        {
            // On PostgreSQL the Data Protection keys are in the database.
            PrepareFolder(app.Logger, ServerDefaults.DataProtectionKeysFolder(app.Configuration));
        }

        LoadHashingKeys(app.Services);
    }

    /// <summary>Runs every <c>ValidateOnStart</c> registration now rather than when the host starts, after the database was written.</summary>
    private static void ValidateOptions(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException invalid)
        {
            throw new StartupFailure(string.Join(" ", invalid.Failures), invalid);
        }
        catch (AggregateException invalid) when (invalid.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw new StartupFailure(string.Join(" ", invalid.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)), invalid);
        }
        catch (InvalidOperationException unbindable)
        {
            // The configuration binder's own message names the key, the value and the type it wanted.
            throw new StartupFailure(unbindable.Message, unbindable);
        }
    }

    /// <summary>
    /// Kestrel reads <c>http://127.0.0.1:banana</c> as "port 80 on every interface"; an address that is not
    /// scheme://host[:port] with a port from 0 to 65535 stops start-up instead.
    /// </summary>
    private static void CheckUrls(string? urls)
    {
        foreach (var url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ProblemWith(url) is { } problem)
            {
                throw new StartupFailure($"urls: '{url}' {problem} (set it with --urls or ASPNETCORE_URLS, e.g. http://127.0.0.1:5000).");
            }
        }
    }

    private static string? ProblemWith(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return "is not an address of the form scheme://host:port";
        }

        var scheme = url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return $"has the scheme '{scheme}'; use http or https";
        }

        var rest = url[(schemeEnd + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var authority = rest.Split('/', 2)[0];
        var colon = authority.StartsWith('[') ? authority.IndexOf(']', StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        if (colon >= authority.Length || (colon > 0 && authority[colon] != ':'))
        {
            colon = -1; // "[::1]" alone, without a port
        }

        var host = colon >= 0 ? authority[..colon] : authority;
        if (host.Length == 0 || host == "[]")
        {
            return "has no host";
        }

        var port = colon >= 0 ? authority[(colon + 1)..] : null;
        return port is null || (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535)
            ? null
            : $"has the port '{port}', which is not a number from 0 to 65535";
    }

    /// <summary>Creates a missing data folder for its owner only (0700); an existing one keeps its mode, with a warning if others may read it.</summary>
    private static void PrepareFolder(ILogger logger, string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!Directory.Exists(folder))
        {
            try
            {
                Directory.CreateDirectory(folder, OwnerOnlyFolder);
            }
            catch (Exception denied) when (denied is IOException or UnauthorizedAccessException)
            {
                throw new StartupFailure($"{ServerDefaults.DataDirectoryKey}: the folder {folder} cannot be created ({denied.Message}).", denied);
            }

            return;
        }

        var mode = File.GetUnixFileMode(folder);
        if ((mode & OthersMayAccess) != 0)
        {
            LogFolderOpenToOthers(logger, folder, Convert.ToString((int)mode, 8));
        }
    }

    private static void LoadHashingKeys(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<TokenKeyRing>();
        }
        catch (Exception unusable) when (unusable is InvalidOperationException or JsonException or IOException or UnauthorizedAccessException)
        {
            throw new StartupFailure($"Latchkey:Hashing: {unusable.Message}", unusable);
        }
    }

    /// <summary>The server and database, never the password (AddStore has read the connection string already).</summary>
    private static string PostgresDatabase(IConfiguration configuration)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ServerDefaults.ConnectionStringName));
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    private static string? DatabaseFile(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ServerDefaults.ConnectionStringName);
        string? dataSource;
        try
        {
            dataSource = string.IsNullOrWhiteSpace(connectionString) ? null : new SqliteConnectionStringBuilder(connectionString).DataSource;
        }
        catch (ArgumentException unreadable)
        {
            throw new StartupFailure($"ConnectionStrings:{ServerDefaults.ConnectionStringName}: {unreadable.Message}", unreadable);
        }

        return string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.GetFullPath(dataSource);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Latchkey data: database {Database}, hashing keys {HashingKeys}")]
    private static partial void LogDataLocation(ILogger logger, string database, string hashingKeys);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The data folder {Folder} is open to other users (mode {Mode}); 'chmod 700' it to keep the database and keys private")]
    private static partial void LogFolderOpenToOthers(ILogger logger, string folder, string mode);
}

using Latchkey.Changes;
using Latchkey.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Latchkey.Storage.Sqlite;

/// <summary>Registers the SQLite store in a host's services.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Stores tokens, users and the audit log in SQLite. Registrations use TryAdd, so a host can replace any one
    /// of them; the host still calls <see cref="IStoreMigrator.MigrateAsync"/> once before serving. The token change
    /// feed is replaced outright (whatever was registered before): several processes may share the file, and only
    /// this feed tells each of them what the others revoked.
    /// </summary>
    public static IServiceCollection AddLatchkeySqliteStore(this IServiceCollection services, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        services.AddOptions<SqliteStoreOptions>()
            .Configure(options =>
            {
                options.ConnectionString = connectionString;
                configure?.Invoke(options);
            })
            .Validate(
                options => options.ChangePollInterval > TimeSpan.Zero && options.ChangePollInterval <= TimeSpan.FromMinutes(1),
                "Latchkey:Storage:ChangePollInterval must be positive and at most a minute (e.g. 00:00:00.250).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteConnectionFactory>();
        services.TryAddSingleton<ITokenStore, SqliteTokenStore>();
        services.TryAddSingleton<IUserStore, SqliteUserStore>();
        services.TryAddSingleton<IAuditStore, SqliteAuditStore>();
        services.TryAddSingleton<IHashingKeyStore, SqliteHashingKeyStore>();
        services.TryAddSingleton<IStoreHealth, SqliteStoreHealth>();
        services.TryAddSingleton<IStoreMigrator, SqliteStoreMigrator>();
        services.TryAddSingleton<SqliteTokenChangeFeed>();
        services.Replace(ServiceDescriptor.Singleton<ITokenChangeFeed>(sp => sp.GetRequiredService<SqliteTokenChangeFeed>()));
        services.AddHostedService<SqliteTokenChangePoller>();
        return services;
    }
}

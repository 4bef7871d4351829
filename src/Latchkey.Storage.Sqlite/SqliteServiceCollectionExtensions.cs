using Latchkey.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Latchkey.Storage.Sqlite;

/// <summary>Registers the SQLite store in a host's services.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Stores tokens, users and the audit log in SQLite. Registrations use TryAdd, so a host can replace any one
    /// of them; the host still calls <see cref="IStoreMigrator.MigrateAsync"/> once before serving.
    /// </summary>
    public static IServiceCollection AddLatchkeySqliteStore(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        services.AddOptions<SqliteStoreOptions>().Configure(options => options.ConnectionString = connectionString);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteConnectionFactory>();
        services.TryAddSingleton<ITokenStore, SqliteTokenStore>();
        services.TryAddSingleton<IUserStore, SqliteUserStore>();
        services.TryAddSingleton<IAuditStore, SqliteAuditStore>();
        services.TryAddSingleton<IStoreHealth, SqliteStoreHealth>();
        services.TryAddSingleton<IStoreMigrator, SqliteStoreMigrator>();
        return services;
    }
}

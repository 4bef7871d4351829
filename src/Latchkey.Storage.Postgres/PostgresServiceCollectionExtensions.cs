using Latchkey.Changes;
using Latchkey.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>Registers the PostgreSQL store in a host's services.</summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Stores tokens, users and the audit log in PostgreSQL. Registrations use TryAdd, so a host can replace any one
    /// of them; the host still calls <see cref="IStoreMigrator.MigrateAsync"/> once before serving (nodes starting
    /// together take turns). The token change feed is replaced outright (whatever was registered before): several
    /// nodes share the database, and only this feed (<c>LISTEN</c>/<c>NOTIFY</c>) tells each of them what the others
    /// revoked.
    /// </summary>
    public static IServiceCollection AddLatchkeyPostgresStore(this IServiceCollection services, string connectionString, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // A malformed connection string fails here, at registration, rather than on the first request.
        _ = new NpgsqlConnectionStringBuilder(connectionString);

        services.AddOptions<PostgresStoreOptions>()
            .Configure(options =>
            {
                options.ConnectionString = connectionString;
                configure?.Invoke(options);
            });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresConnectionFactory>();
        services.TryAddSingleton<ITokenStore, PostgresTokenStore>();
        services.TryAddSingleton<IUserStore, PostgresUserStore>();
        services.TryAddSingleton<IAuditStore, PostgresAuditStore>();
        services.TryAddSingleton<IHashingKeyStore, PostgresHashingKeyStore>();
        services.TryAddSingleton<IStoreHealth, PostgresStoreHealth>();
        services.TryAddSingleton<IStoreMigrator, PostgresStoreMigrator>();
        services.TryAddSingleton<PostgresTokenChangeFeed>();
        services.Replace(ServiceDescriptor.Singleton<ITokenChangeFeed>(sp => sp.GetRequiredService<PostgresTokenChangeFeed>()));
        services.AddHostedService(sp => sp.GetRequiredService<PostgresTokenChangeFeed>());
        return services;
    }
}

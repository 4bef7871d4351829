using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Latchkey.Storage.Postgres;

/// <summary>Keeps ASP.NET Core Data Protection's keys in Latchkey's PostgreSQL database.</summary>
public static class PostgresDataProtectionBuilderExtensions
{
    /// <summary>
    /// Stores the key ring in the <c>data_protection_keys</c> table of the database <c>AddLatchkeyPostgresStore</c>
    /// was given, so every node reads the others' cookies, antiforgery tokens and encrypted secrets. The store's
    /// migration creates the table and, under its lock, the first key. The keys are stored as Data Protection writes
    /// them: unencrypted unless you also call a <c>ProtectKeysWith…</c> method (a certificate, say), so anyone with a
    /// copy of the database can decrypt what they protect.
    /// </summary>
    public static IDataProtectionBuilder PersistKeysToLatchkeyPostgres(this IDataProtectionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new PostgresXmlRepository(services.GetService<PostgresConnectionFactory>()
                ?? throw new InvalidOperationException("PersistKeysToLatchkeyPostgres() keeps the keys in the Latchkey PostgreSQL store: call AddLatchkeyPostgresStore(connectionString) too."))));
        builder.Services.TryAddSingleton<DataProtectionFirstKey>();
        return builder;
    }
}

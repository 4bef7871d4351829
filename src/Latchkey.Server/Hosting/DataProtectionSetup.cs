using Latchkey.Server.Users;
using Latchkey.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Latchkey.Server.Hosting;

/// <summary>
/// ASP.NET Core Data Protection for the server: application name "Latchkey", keys in
/// <c>&lt;data&gt;/data-protection-keys</c> (created for its owner only, 0700, when the first key is written — a
/// start that fails on a bad setting writes nothing). It encrypts the authenticator keys at rest
/// (<see cref="DataProtectionSecretProtector"/>); the keys are kept apart from the database, so a copy of the
/// database alone does not decrypt them. Back the folder up with the database.
/// </summary>
internal static class DataProtectionSetup
{
    public const string KeyFolderName = "data-protection-keys";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static IServiceCollection AddLatchkeyDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataProtection().SetApplicationName("Latchkey");

        // Configured lazily, when Data Protection first needs its keys, rather than at registration: the folder is
        // made then, not by a start that is about to fail.
        services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((options, loggers) =>
        {
            var folder = Path.Combine(configuration[ServerDefaults.DataDirectoryKey]!, KeyFolderName);
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, OwnerOnly);
                }
            }

            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), loggers);
        });
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        return services;
    }
}

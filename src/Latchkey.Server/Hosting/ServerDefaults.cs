namespace Latchkey.Server.Hosting;

/// <summary>
/// Settings the server runs with when nothing else says otherwise: loopback on port 5000 and everything under
/// <c>./data</c>. They sit below appsettings, environment variables and the command line, so <c>--urls</c>,
/// <c>ConnectionStrings__Latchkey</c> and the rest override them as in any ASP.NET Core app.
/// </summary>
internal static class ServerDefaults
{
    public const string ConnectionStringName = "Latchkey";

    public static readonly IReadOnlyDictionary<string, string?> Values = new Dictionary<string, string?>
    {
        ["urls"] = "http://127.0.0.1:5000",
        [$"ConnectionStrings:{ConnectionStringName}"] = "Data Source=./data/latchkey.db",
        ["Latchkey:Hashing:KeyFile"] = "./data/hashing-keys.json",
        ["Latchkey:Storage:Provider"] = "Sqlite",
    };

    /// <summary>Puts the defaults underneath every other configuration source.</summary>
    public static void AddTo(ConfigurationManager configuration)
    {
        var sources = (IList<IConfigurationSource>)((IConfigurationBuilder)configuration).Sources;
        sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = Values });
    }
}

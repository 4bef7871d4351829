using System.Runtime.Versioning;
using Latchkey.Server.Tests.Durability;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// Every setting that cannot work stops the real server process with one line naming it, before the database, the
/// key file or the administrator exist. Its own class so these process starts run beside <c>StartupTests</c>.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BadSettingTests : ServerProcessTest
{
    [Theory]
    [InlineData("Latchkey__Tokens__MaximumLifetime", "banana", "Latchkey:Tokens:MaximumLifetime")]
    [InlineData("Latchkey__Tokens__Prefix", "has spaces!", "Latchkey:Tokens:Prefix")]
    [InlineData("Latchkey__SessionLifetime", "00:00:00", "Latchkey:SessionLifetime")]
    [InlineData("Latchkey__Tokens__RotationRetryWindow", "02:00:00", "RotationRetryWindow")]
    [InlineData("Latchkey__SignIn__MaxFailures", "0", "Latchkey:SignIn:MaxFailures")]
    [InlineData("Latchkey__SignIn__MaxFailures", "-3", "Latchkey:SignIn:MaxFailures")]
    [InlineData("Latchkey__SignIn__Window", "00:00:00", "Latchkey:SignIn:Window")]
    [InlineData("Latchkey__Authentication__AllowBasic", "maybe", "Latchkey:Authentication:AllowBasic")]
    [InlineData("Latchkey__Storage__Provider", "Oracle", "Latchkey:Storage:Provider")]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:banana", "urls")]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:99999", "urls")]
    [InlineData("Latchkey__SignIn__MaxFailuresPerAddress", "0", "Latchkey:SignIn:MaxFailuresPerAddress")]
    [InlineData("Latchkey__SignIn__MaxFailuresPerAddress", "5", "Latchkey:SignIn:MaxFailuresPerAddress")]
    [InlineData("Latchkey__FailedAuthentication__PermitLimit", "0", "Latchkey:FailedAuthentication:PermitLimit")]
    [InlineData("Latchkey__FailedAuthentication__Window", "00:00:00", "Latchkey:FailedAuthentication:Window")]
    [InlineData("Latchkey__FailedAuthentication__Window", "-00:01:00", "Latchkey:FailedAuthentication:Window")]
    [InlineData("Latchkey__Server__KnownProxies__0", "nginx.internal", "Latchkey:Server:KnownProxies:0")]
    [InlineData("Latchkey__Server__KnownProxies", "10.0.0.5, 10.0.0.300", "Latchkey:Server:KnownProxies")]
    [InlineData("Latchkey__Server__KnownNetworks__0", "10.0.0.0/33", "Latchkey:Server:KnownNetworks:0")]
    [InlineData("Latchkey__Server__KnownNetworks__0", "fd00::/129", "Latchkey:Server:KnownNetworks:0")]
    [InlineData("Latchkey__Server__KnownNetworks", "10.0.0.5", "Latchkey:Server:KnownNetworks")]
    [InlineData("Latchkey__Server__PublicBaseUrl", "latchkey.example.com", "Latchkey:Server:PublicBaseUrl")]
    [InlineData("Latchkey__Server__PublicBaseUrl", "ftp://latchkey.example.com", "Latchkey:Server:PublicBaseUrl")]
    [InlineData("Latchkey__Server__PublicBaseUrl", "https://latchkey.example.com/?x=1", "Latchkey:Server:PublicBaseUrl")]
    [InlineData("Latchkey__Storage__ChangePollInterval", "00:00:00", "Latchkey:Storage:ChangePollInterval")]
    [InlineData("Latchkey__Storage__ChangePollInterval", "banana", "Latchkey:Storage:ChangePollInterval")]
    [InlineData("LATCHKEY_ADMIN_PASSWORD", "short", "LATCHKEY_ADMIN_PASSWORD")]
    [InlineData("Latchkey__Passwords__Iterations", "999", "Latchkey:Passwords:Iterations")]
    [InlineData("Latchkey__Passwords__Iterations", "many", "Latchkey:Passwords:Iterations")]
    public async Task A_bad_setting_stops_the_server_with_one_line_naming_it_before_anything_is_written(string variable, string value, string key)
    {
        var outcome = await ServerProcess.RunToExitAsync(Environment(new() { [variable] = value }));

        Assert.Equal(1, outcome.ExitCode);
        var error = Assert.Single(Lines(outcome.StandardError));
        Assert.StartsWith("Latchkey did not start: ", error);
        Assert.Contains(key, error);
        Assert.DoesNotContain("   at ", outcome.StandardOutput + outcome.StandardError);
        Assert.False(Directory.Exists(DataDirectory), "the data folder was created");
    }
}

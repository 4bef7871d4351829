using System.Runtime.Versioning;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tests.Durability;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// Every setting that cannot work stops the server with one line naming it, before the database, the key file or
/// the administrator exist. Each setting runs through the server's own entry (<see cref="ServerProgram"/>)
/// in-process; a few, one of each way an environment variable becomes a setting, also stop the real process.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BadSettingTests : ServerProcessTest
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Latchkey__Tokens__MaximumLifetime", "banana", "Latchkey:Tokens:MaximumLifetime" },
        { "Latchkey__Tokens__Prefix", "has spaces!", "Latchkey:Tokens:Prefix" },
        { "Latchkey__SessionLifetime", "00:00:00", "Latchkey:SessionLifetime" },
        { "Latchkey__Tokens__RotationRetryWindow", "02:00:00", "RotationRetryWindow" },
        { "Latchkey__SignIn__MaxFailures", "0", "Latchkey:SignIn:MaxFailures" },
        { "Latchkey__SignIn__MaxFailures", "-3", "Latchkey:SignIn:MaxFailures" },
        { "Latchkey__SignIn__Window", "00:00:00", "Latchkey:SignIn:Window" },
        { "Latchkey__Authentication__AllowBasic", "maybe", "Latchkey:Authentication:AllowBasic" },
        { "Latchkey__Storage__Provider", "Oracle", "Latchkey:Storage:Provider" },
        { "Latchkey__Storage__Provider", "Postgres", "ConnectionStrings:Latchkey is not set" },
        { "ASPNETCORE_URLS", "http://127.0.0.1:banana", "urls" },
        { "ASPNETCORE_URLS", "http://127.0.0.1:99999", "urls" },
        { "Latchkey__SignIn__MaxFailuresPerAddress", "0", "Latchkey:SignIn:MaxFailuresPerAddress" },
        { "Latchkey__SignIn__MaxFailuresPerAddress", "5", "Latchkey:SignIn:MaxFailuresPerAddress" },
        { "Latchkey__FailedAuthentication__PermitLimit", "0", "Latchkey:FailedAuthentication:PermitLimit" },
        { "Latchkey__FailedAuthentication__Window", "00:00:00", "Latchkey:FailedAuthentication:Window" },
        { "Latchkey__FailedAuthentication__Window", "-00:01:00", "Latchkey:FailedAuthentication:Window" },
        { "Latchkey__Server__KnownProxies__0", "nginx.internal", "Latchkey:Server:KnownProxies:0" },
        { "Latchkey__Server__KnownProxies", "10.0.0.5, 10.0.0.300", "Latchkey:Server:KnownProxies" },
        { "Latchkey__Server__KnownNetworks__0", "10.0.0.0/33", "Latchkey:Server:KnownNetworks:0" },
        { "Latchkey__Server__KnownNetworks__0", "fd00::/129", "Latchkey:Server:KnownNetworks:0" },
        { "Latchkey__Server__KnownNetworks", "10.0.0.5", "Latchkey:Server:KnownNetworks" },
        { "Latchkey__Server__PublicBaseUrl", "latchkey.example.com", "Latchkey:Server:PublicBaseUrl" },
        { "Latchkey__Server__PublicBaseUrl", "ftp://latchkey.example.com", "Latchkey:Server:PublicBaseUrl" },
        { "Latchkey__Server__PublicBaseUrl", "https://latchkey.example.com/?x=1", "Latchkey:Server:PublicBaseUrl" },
        { "Latchkey__Storage__ChangePollInterval", "00:00:00", "Latchkey:Storage:ChangePollInterval" },
        { "Latchkey__Storage__ChangePollInterval", "banana", "Latchkey:Storage:ChangePollInterval" },
        { "LATCHKEY_ADMIN_PASSWORD", "short", "LATCHKEY_ADMIN_PASSWORD" },
        { "Latchkey__Passwords__Iterations", "999", "Latchkey:Passwords:Iterations" },
        { "Latchkey__Passwords__Iterations", "many", "Latchkey:Passwords:Iterations" },
        { "Latchkey__TwoFactor__Required", "maybe", "Latchkey:TwoFactor:Required" },
        { "Latchkey__TwoFactor__GracePeriod", "-1.00:00:00", "Latchkey:TwoFactor:GracePeriod" },
        { "Latchkey__TwoFactor__GracePeriod", "banana", "Latchkey:TwoFactor:GracePeriod" },
        { "Latchkey__OAuth__Issuer", "latchkey.example.com", "Latchkey:OAuth:Issuer" },
        { "Latchkey__OAuth__TokenEndpoint", "oauth/token", "Latchkey:OAuth:TokenEndpoint" },
        { "Latchkey__OAuth__RevocationPermitLimit", "0", "Latchkey:OAuth:RevocationPermitLimit" },
        { "Latchkey__ForwardAuth__Rules__0__Scopes__0", "raed_api", "Latchkey:ForwardAuth:Rules:0:Scopes:0 'raed_api' is not a known scope" },
        { "Latchkey__ForwardAuth__Rules__0__PathPattern", "^/api/(", "Latchkey:ForwardAuth:Rules:0:PathPattern" },
        { "Latchkey__ForwardAuth__Default__Challenge", "Digest", "Latchkey:ForwardAuth:Default:Challenge" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_server_with_one_line_naming_it_before_anything_is_written(string variable, string value, string key)
    {
        using var error = new StringWriter();

        // Stops a server that wrongly started, so the test fails on its exit code instead of hanging.
        using var started = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitCode = await ServerProgram.RunAsync(Arguments(variable, value), error, started.Token);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(Lines(error.ToString()));
        Assert.StartsWith("Latchkey did not start: ", line);
        Assert.Contains(key, line);
        Assert.DoesNotContain("   at ", line);
        Assert.False(Directory.Exists(DataDirectory), "the data folder was created");
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_stops_the_server_with_one_line_naming_the_server_but_not_the_password()
    {
        var nobodyListens = LoopbackPorts.Free();

        var outcome = await ServerProcess.RunToExitAsync(Environment(new()
        {
            ["Latchkey__Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Latchkey"] = $"Host=127.0.0.1;Port={nobodyListens};Username=latchkey;Password=hunter2-not-for-logs;Timeout=5",
        }));

        Assert.Equal(1, outcome.ExitCode);
        var error = Assert.Single(Lines(outcome.StandardError));
        Assert.StartsWith("Latchkey did not start: ", error);
        Assert.Contains($"127.0.0.1:{nobodyListens}", error);
        Assert.DoesNotContain("hunter2-not-for-logs", outcome.StandardOutput + outcome.StandardError);
        Assert.DoesNotContain("   at ", outcome.StandardOutput + outcome.StandardError);
    }

    // One setting per source: an ASPNETCORE_ variable, a "__" path and a plain variable read by name.
    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:banana", "urls")]
    [InlineData("Latchkey__Storage__ChangePollInterval", "banana", "Latchkey:Storage:ChangePollInterval")]
    [InlineData("LATCHKEY_ADMIN_PASSWORD", "short", "LATCHKEY_ADMIN_PASSWORD")]
    public async Task A_bad_setting_stops_the_real_process_with_exit_code_1_and_one_line_on_standard_error(string variable, string value, string key)
    {
        var outcome = await ServerProcess.RunToExitAsync(Environment(new() { [variable] = value }));

        Assert.Equal(1, outcome.ExitCode);
        var error = Assert.Single(Lines(outcome.StandardError));
        Assert.StartsWith("Latchkey did not start: ", error);
        Assert.Contains(key, error);
        Assert.DoesNotContain("   at ", outcome.StandardOutput + outcome.StandardError);
        Assert.False(Directory.Exists(DataDirectory), "the data folder was created");
    }

    /// <summary>
    /// The environment variable as the command-line setting the host reads it as (the ASPNETCORE_ prefix dropped,
    /// "__" as ":"), with the settings <see cref="ServerProcess"/> gives every process.
    /// </summary>
    private string[] Arguments(string variable, string value)
    {
        var key = (variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ? variable["ASPNETCORE_".Length..] : variable).Replace("__", ":", StringComparison.Ordinal);
        return [
            "--environment=Production",
            $"--Latchkey:DataDirectory={DataDirectory}",
            $"--Latchkey:Passwords:Iterations={LatchkeyServerFactory.PasswordIterations}",
            "--urls=http://127.0.0.1:0",
            $"--{key}={value}",
        ];
    }
}

using Latchkey.Server.Hosting;
using Latchkey.Server.Users;

var resetAdminPassword = args is [AdminPasswordReset.CommandName, ..];

// The content root is the server's own folder, so its appsettings.json applies wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = resetAdminPassword ? args[1..] : args, ContentRootPath = AppContext.BaseDirectory });
try
{
    builder.AddLatchkeyServer();
    await using var app = builder.Build();
    app.CheckLatchkeySetup();
    if (resetAdminPassword)
    {
        await app.InitializeLatchkeyAsync();
        await app.Services.GetRequiredService<AdminPasswordReset>().ResetAsync(CancellationToken.None);
        return 0;
    }

    app.UseLatchkeyServer();
    await app.InitializeLatchkeyAsync();
    try
    {
        await app.StartAsync();
    }
    catch (IOException unbound)
    {
        // Kestrel could not listen (the port is taken, or needs privileges); no administrator was created yet.
        throw new StartupFailure($"{unbound.Message} Choose another address with --urls or ASPNETCORE_URLS.", unbound);
    }

    await app.WaitForShutdownAsync();
    return 0;
}
catch (StartupFailure failure)
{
    return Fail(failure.Message);
}

int Fail(string message)
{
    Console.Error.WriteLine($"{(resetAdminPassword ? AdminPasswordReset.CommandName + " failed" : "Latchkey did not start")}: {message}");
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory.</summary>
public partial class Program;

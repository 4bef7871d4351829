using Latchkey.Server.Moving;
using Latchkey.Server.Users;

namespace Latchkey.Server.Hosting;

/// <summary>
/// What the server process runs: start serving, or run the <c>reset-admin-password</c> or <c>copy-from-sqlite</c> command. A
/// <see cref="StartupFailure"/> becomes one line on <paramref name="error"/> and exit code 1, never a stack trace.
/// Its own type so the tests can run every bad setting through it in-process, without a process per setting.
/// </summary>
internal static class ServerProgram
{
    /// <summary>Runs until the server shuts down (or <paramref name="stopping"/> fires) and returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter error, CancellationToken stopping = default)
        => RunAsync(args, Console.Out, error, stopping);

    /// <summary>As above, with what a command prints for the operator (not the log) on <paramref name="output"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        if (args is [CopyFromSqliteCommand.CommandName, .. var copyArguments])
        {
            return await CopyFromSqliteCommand.RunAsync(copyArguments, output, error, stopping);
        }

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
                await app.Services.GetRequiredService<AdminPasswordReset>().ResetAsync(stopping);
                return 0;
            }

            app.UseLatchkeyServer();
            await app.InitializeLatchkeyAsync();
            try
            {
                await app.StartAsync(stopping);
            }
            catch (IOException unbound)
            {
                // Kestrel could not listen (the port is taken, or needs privileges); no administrator was created yet.
                throw new StartupFailure($"{unbound.Message} Choose another address with --urls or ASPNETCORE_URLS.", unbound);
            }

            await app.WaitForShutdownAsync(stopping);
            return 0;
        }
        catch (StartupFailure failure)
        {
            await error.WriteLineAsync($"{(resetAdminPassword ? AdminPasswordReset.CommandName + " failed" : "Latchkey did not start")}: {failure.Message}");
            return 1;
        }
    }
}

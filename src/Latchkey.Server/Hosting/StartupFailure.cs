namespace Latchkey.Server.Hosting;

/// <summary>
/// Start-up cannot go on because of how the server is set up (a setting, an address, a file). Its message is one
/// line that names what to change; <c>Program</c> prints it instead of a stack trace and exits with code 1.
/// </summary>
internal sealed class StartupFailure : Exception
{
    public StartupFailure(string message)
        : base(message)
    {
    }

    public StartupFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Latchkey.Server.Moving;

/// <summary>
/// <c>copy-from-sqlite</c> cannot go on (a refusal before anything is written, or a failure that rolled the copy back).
/// Its message is one line that says what to change; the command prints it instead of a stack trace, exit code 1.
/// </summary>
internal sealed class CopyFailure : Exception
{
    public CopyFailure(string message)
        : base(message)
    {
    }

    public CopyFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

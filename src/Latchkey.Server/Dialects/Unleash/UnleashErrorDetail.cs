namespace Latchkey.Server.Dialects.Unleash;

/// <summary>One entry of an <see cref="UnleashError"/>'s <c>details</c>: a message, and the offending path for schema errors.</summary>
internal sealed class UnleashErrorDetail
{
    public required string Message { get; init; }

    public string? Path { get; init; }
}

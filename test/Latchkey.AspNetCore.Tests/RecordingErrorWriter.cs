using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore.Tests;

/// <summary>An API with its own error shape (GitLab-like <c>{"message"}</c>), plus what Latchkey told it.</summary>
public sealed class RecordingErrorWriter : ILatchkeyErrorWriter
{
    public Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope)
        => context.Response.WriteAsJsonAsync(new ErrorBody($"{context.Response.StatusCode} custom", error.ToString(), scope));

    public sealed record ErrorBody(string Message, string Error, string? Scope);
}

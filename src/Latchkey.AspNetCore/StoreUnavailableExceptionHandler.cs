using Latchkey.Stores;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Latchkey.AspNetCore;

/// <summary>
/// Answers a request whose store call failed because the database cannot be reached right now (the store's own
/// judgement, <see cref="IStoreHealth.IsUnavailable"/>) with 503 and <c>Retry-After</c>, in the endpoint's error shape
/// (its <see cref="ILatchkeyErrorWriter"/>, else problem details), and logs it as one warning line without a stack
/// trace: an outage fails every request, and a stack trace per request would bury the one line that matters. Any
/// other exception goes on to the host's next handler. Runs inside the host's <c>app.UseExceptionHandler()</c>.
/// </summary>
internal sealed partial class StoreUnavailableExceptionHandler : IExceptionHandler
{
    private readonly IStoreHealth? _store;
    private readonly ILogger<StoreUnavailableExceptionHandler> _logger;

    // Optional: an application that registers no store health has nothing that could tell.
    public StoreUnavailableExceptionHandler(ILogger<StoreUnavailableExceptionHandler> logger, IStoreHealth? store = null)
    {
        _logger = logger;
        _store = store;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (_store is null || !_store.IsUnavailable(exception))
        {
            return false;
        }

        var failed = httpContext.Features.Get<IExceptionHandlerFeature>();
        LogUnavailable(httpContext.Request.Method, failed?.Path ?? httpContext.Request.Path.Value, Describe(exception));

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.SetRetryAfter(LatchkeyDefaults.StoreUnavailableRetryAfter);
        var writer = failed?.Endpoint?.Metadata.GetMetadata<ILatchkeyErrorWriter>() ?? ProblemDetailsErrorWriter.Instance;
        await writer.WriteAsync(httpContext, LatchkeyAuthError.StoreUnavailable, null);
        return true;
    }

    // The provider's words and, if it has one, their cause ("Failed to connect to db:5432: Connection refused"). The
    // providers name the server or file in them, never a password.
    private static string Describe(Exception exception)
    {
        var cause = exception.GetBaseException();
        return ReferenceEquals(cause, exception) ? exception.Message : $"{exception.Message}: {cause.Message}";
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the database is unavailable ({Reason})")]
    private partial void LogUnavailable(string method, string? path, string reason);
}

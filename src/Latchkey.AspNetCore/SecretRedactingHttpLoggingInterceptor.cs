using Microsoft.AspNetCore.HttpLogging;

namespace Latchkey.AspNetCore;

/// <summary>
/// Request logging that never writes a credential: query parameters that carry secrets are replaced by
/// <c>[Redacted]</c>. Credential headers are already redacted because they are not on HttpLogging's allow-list.
/// </summary>
internal sealed class SecretRedactingHttpLoggingInterceptor : IHttpLoggingInterceptor
{
    public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
    {
        if (logContext.TryDisable(HttpLoggingFields.RequestQuery))
        {
            logContext.AddParameter("QueryString", SecretRedaction.RedactQuery(logContext.HttpContext.Request.QueryString.Value));
        }

        return default;
    }

    public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext) => default;
}

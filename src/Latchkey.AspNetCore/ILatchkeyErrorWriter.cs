using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore;

/// <summary>
/// Writes the body of a 401, 403 or 429 in an API's own shape. The handler has already set the status code and
/// <c>WWW-Authenticate</c> or <c>Retry-After</c>. Put an instance in an endpoint's (or route group's) metadata to use it there;
/// endpoints without one answer RFC 9457 problem details.
/// </summary>
public interface ILatchkeyErrorWriter
{
    Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope);
}

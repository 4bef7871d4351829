namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// Marks the forward-auth endpoint: the authentication handler leaves its requests alone (<c>NoResult</c>). The
/// credential there is the end client's, judged by the endpoint on the client's behalf; the handler would record
/// it as used by the proxy and count the proxy's failures.
/// </summary>
internal sealed class ForwardAuthEndpointMetadata
{
    public static readonly ForwardAuthEndpointMetadata Instance = new();
}

namespace Latchkey.Server.Http;

internal static class HttpResponseExtensions
{
    /// <summary>Responses that carry a secret must not be stored by any cache (as RFC 6749 asks of token responses).</summary>
    public static void SetNoStore(this HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}

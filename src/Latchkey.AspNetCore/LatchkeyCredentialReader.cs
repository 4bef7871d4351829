using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Latchkey.AspNetCore;

/// <summary>
/// The one place that reads a credential from a request, for the authentication handler and for forward-auth
/// (which reads <c>private_token</c> from the original request's query, not its own). In order:
/// <c>Authorization: Bearer</c>, <c>PRIVATE-TOKEN</c>, <c>?private_token=</c>, HTTP Basic (the password; nothing at
/// all on a <see cref="ClientCredentialsEndpointMetadata"/> endpoint), a bare <c>Authorization: &lt;token&gt;</c>,
/// and — for the handler only — the cookie named in <see cref="LatchkeyAuthenticationOptions.CookieName"/>.
/// </summary>
internal static class LatchkeyCredentialReader
{
    /// <summary>The credential of <paramref name="request"/> itself, as the authentication handler reads it.</summary>
    public static string? Read(HttpRequest request, LatchkeyAuthenticationOptions options)
        => Read(request, options, forwarded: false, originalQuery: default);

    /// <summary>
    /// The credential of a request forwarded for judgement: its headers, but <c>private_token</c> from
    /// <paramref name="originalQuery"/> (the original request's query, without <c>?</c>), and never a cookie.
    /// </summary>
    public static string? ReadForwarded(HttpRequest request, LatchkeyAuthenticationOptions options, ReadOnlySpan<char> originalQuery)
        => Read(request, options, forwarded: true, originalQuery);

    /// <summary>The user name and password of an HTTP Basic <c>Authorization</c> header, when it is one.</summary>
    public static bool TryReadBasic(HttpRequest request, out string username, out string password)
    {
        username = password = string.Empty;
        if (!TryStripScheme(request.Headers.Authorization.ToString().Trim(), "Basic", out var encoded)
            || DecodeBase64(encoded) is not { } decoded)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        username = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    private static string? Read(HttpRequest request, LatchkeyAuthenticationOptions options, bool forwarded, ReadOnlySpan<char> originalQuery)
    {
        var authorization = request.Headers.Authorization.ToString().Trim();
        if (TryStripScheme(authorization, "Bearer", out var bearer))
        {
            return bearer;
        }

        if (options.AllowPrivateTokenHeader
            && request.Headers.TryGetValue(LatchkeyDefaults.PrivateTokenHeaderName, out var privateToken)
            && privateToken.ToString().Trim() is { Length: > 0 } fromHeader)
        {
            return fromHeader;
        }

        if (options.AllowQueryString)
        {
            var fromQuery = forwarded ? QueryValue(originalQuery, LatchkeyDefaults.QueryParameterName) : FromQuery(request);
            if (fromQuery?.Trim() is { Length: > 0 } found)
            {
                return found;
            }
        }

        if (options.AllowBasic && TryStripScheme(authorization, "Basic", out var basic))
        {
            // An OAuth token endpoint judges its client's Basic credentials itself: validated, and counted, once.
            return request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ClientCredentialsEndpointMetadata>() is null ? DecodeBasicPassword(basic) : null;
        }

        // Unleash clients send the token itself as the header value; anything with a space is another scheme.
        if (options.AllowBareAuthorization && authorization.Length > 0 && authorization.IndexOf(' ', StringComparison.Ordinal) < 0)
        {
            return authorization;
        }

        // Last: a browser sends its cookie with every request, so anything the client chose to send explicitly wins.
        // A forwarded request's cookies belong to the service behind the proxy, never to Latchkey.
        if (!forwarded
            && options.CookieName is { Length: > 0 } cookieName
            && request.Cookies.TryGetValue(cookieName, out var cookie)
            && cookie.Trim() is { Length: > 0 } fromCookie)
        {
            return fromCookie;
        }

        return null;
    }

    private static string? FromQuery(HttpRequest request)
        => request.QueryString.HasValue && request.Query.TryGetValue(LatchkeyDefaults.QueryParameterName, out var query) ? query.ToString() : null;

    /// <summary>
    /// The first value of <paramref name="name"/> (matched ignoring case and after percent-decoding, as
    /// <see cref="HttpRequest.Query"/> does) in a raw query string, percent-decoded; <c>null</c> when absent. Scans
    /// without building a dictionary.
    /// </summary>
    public static string? QueryValue(ReadOnlySpan<char> query, string name)
    {
        while (query.Length > 0)
        {
            var amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? ReadOnlySpan<char>.Empty : query[(amp + 1)..];
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)
                || (key.IndexOfAny('%', '+') >= 0 && string.Equals(Decode(key), name, StringComparison.OrdinalIgnoreCase)))
            {
                var raw = equals < 0 ? ReadOnlySpan<char>.Empty : pair[(equals + 1)..];
                return Decode(raw);
            }
        }

        return null;
    }

    // Escapes that do not decode stay as they are (Uri.UnescapeDataString never throws on them), as in Request.Query.
    private static string Decode(ReadOnlySpan<char> raw)
        => raw.IndexOfAny('%', '+') < 0 ? raw.ToString() : Uri.UnescapeDataString(raw.ToString().Replace('+', ' '));

    private static bool TryStripScheme(string header, string scheme, out string value)
    {
        if (header.Length > scheme.Length + 1
            && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && header[scheme.Length] == ' ')
        {
            value = header[(scheme.Length + 1)..].Trim();
            return value.Length > 0;
        }

        value = string.Empty;
        return false;
    }

    private static string DecodeBasicPassword(string encoded)
    {
        if (DecodeBase64(encoded) is not { } decoded)
        {
            return encoded; // not Base64: let the validator refuse it as malformed
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? decoded : decoded[(colon + 1)..];
    }

    private static string? DecodeBase64(string encoded)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            return Convert.TryFromBase64String(encoded, buffer, out var length) ? Encoding.UTF8.GetString(buffer, 0, length) : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}

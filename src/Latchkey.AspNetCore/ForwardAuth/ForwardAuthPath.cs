using System.Buffers;
using System.Text;

namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// The path rules are matched against: the original URI's path as the proxy's own routing and the service behind it
/// see it — percent-decoded, repeated slashes merged and <c>.</c>/<c>..</c> segments removed (nginx's <c>$uri</c>).
/// Matching the raw text instead would let <c>/demo.%67it/git-receive-pack</c> or <c>/a/../admin</c> slip past a rule
/// while the service still serves the path it names.
/// </summary>
internal static class ForwardAuthPath
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly SearchValues<char> NeedsWork = SearchValues.Create("%/.");

    /// <summary>
    /// Splits an origin-form URI (<c>/path?query</c>) into its normalised path and raw query (without <c>?</c>);
    /// false when it is not one: not starting with <c>/</c>, not ASCII, a bad or non-UTF-8 escape, a control
    /// character, or <c>..</c> above the root.
    /// </summary>
    public static bool TrySplit(string uri, out string path, out ReadOnlyMemory<char> query)
    {
        path = string.Empty;
        query = ReadOnlyMemory<char>.Empty;
        if (uri.Length == 0 || uri[0] != '/' || (uri.Length > 1 && uri[1] == '/'))
        {
            return false; // "//host/…" is a network-path reference, not a path
        }

        var end = uri.AsSpan().IndexOfAny('?', '#');
        var raw = end < 0 ? uri.AsSpan() : uri.AsSpan(0, end);
        if (end >= 0 && uri[end] == '?')
        {
            var hash = uri.IndexOf('#', end);
            query = uri.AsMemory(end + 1, (hash < 0 ? uri.Length : hash) - end - 1);
        }

        foreach (var c in uri.AsSpan())
        {
            if (c <= 0x20 || c >= 0x7F)
            {
                return false;
            }
        }

        if (!NeedsNormalising(raw))
        {
            path = end < 0 ? uri : raw.ToString();
            return true;
        }

        return TryNormalise(raw, out path);
    }

    private static bool NeedsNormalising(ReadOnlySpan<char> raw)
    {
        for (var i = raw.IndexOfAny(NeedsWork); i >= 0 && i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%' || (c == '/' && i + 1 < raw.Length && (raw[i + 1] == '/' || raw[i + 1] == '.')))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryNormalise(ReadOnlySpan<char> raw, out string path)
    {
        path = string.Empty;
        var bytes = new byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '%')
            {
                bytes[length++] = (byte)raw[i];
                continue;
            }

            if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
            {
                return false;
            }

            var b = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
            if (b < 0x20 || b == 0x7F)
            {
                return false;
            }

            bytes[length++] = b;
            i += 2;
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var segments = new List<string>();
        foreach (var segment in decoded.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count == 0)
                    {
                        return false;
                    }

                    segments.RemoveAt(segments.Count - 1);
                    continue;
                default:
                    segments.Add(segment);
                    continue;
            }
        }

        // A trailing slash (or a last "." / "..") still names a directory, as it does for nginx.
        var trailing = decoded.EndsWith('/') || decoded.EndsWith("/.", StringComparison.Ordinal) || decoded.EndsWith("/..", StringComparison.Ordinal);
        path = "/" + string.Join('/', segments) + (trailing && segments.Count > 0 ? "/" : string.Empty);
        return true;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>The host of a <c>Host</c> or <c>X-Forwarded-Host</c> value: the first entry, without port or trailing dot.</summary>
    public static ReadOnlySpan<char> Host(ReadOnlySpan<char> value)
    {
        var comma = value.IndexOf(',');
        var host = (comma < 0 ? value : value[..comma]).Trim();
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }

        var colon = host.IndexOf(':');
        host = colon < 0 ? host : host[..colon];
        return host.EndsWith('.') ? host[..^1] : host;
    }
}

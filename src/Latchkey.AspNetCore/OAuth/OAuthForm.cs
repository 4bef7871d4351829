using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>
/// The <c>application/x-www-form-urlencoded</c> body RFC 7662 and RFC 7009 requests carry, read strictly: another
/// content type, another charset, a body that is cut off or too large, or a field that is not UTF-8 text is refused
/// with a reason (never a 500), instead of the framework's reader turning bad bytes into U+FFFD without a word.
/// </summary>
internal sealed class OAuthForm
{
    /// <summary>Far above any real request (a token is under 100 characters), far below anything worth buffering.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, List<string>> _fields;

    private OAuthForm(Dictionary<string, List<string>> fields) => _fields = fields;

    /// <summary>The form, or why it cannot be read (<see cref="OAuthFormError"/>).</summary>
    public static async Task<(OAuthForm? Form, OAuthFormError? Error)> ReadAsync(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new OAuthFormError(StatusCodes.Status400BadRequest, "The request must be a form (Content-Type: application/x-www-form-urlencoded)."));
        }

        if (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new OAuthFormError(StatusCodes.Status400BadRequest, "The form must be UTF-8."));
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[4096];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return (null, new OAuthFormError(StatusCodes.Status413PayloadTooLarge, "The request body is too large."));
                }

                buffer.Write(chunk, 0, read);
            }

            body = buffer.ToArray();
        }
        catch (Exception exception) when (exception is BadHttpRequestException or IOException or InvalidDataException)
        {
            // Kestrel's own limit, broken chunked framing or a body cut off: the client's fault, not a 500.
            return (null, exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? new OAuthFormError(StatusCodes.Status413PayloadTooLarge, "The request body is too large.")
                : new OAuthFormError(StatusCodes.Status400BadRequest, "The request body could not be read."));
        }

        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var range in new ReadOnlySpan<byte>(body).Split((byte)'&'))
        {
            var pair = body.AsSpan(range);
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf((byte)'=');
            if (!TryDecode(equals < 0 ? pair : pair[..equals], out var name) || !TryDecode(equals < 0 ? ReadOnlySpan<byte>.Empty : pair[(equals + 1)..], out var value))
            {
                return (null, new OAuthFormError(StatusCodes.Status400BadRequest, "The form holds a field that is not valid UTF-8 text."));
            }

            if (!fields.TryGetValue(name, out var values))
            {
                fields[name] = values = [];
            }

            values.Add(value);
        }

        return (new OAuthForm(fields), null);
    }

    /// <summary>
    /// The <c>token</c> of an RFC 7662 or RFC 7009 request (with at most one <c>token_type_hint</c>, which is only a
    /// hint), or the <c>invalid_request</c> to answer instead: a form that cannot be read, a repeated parameter, no token.
    /// </summary>
    public static async Task<(string? Token, JsonHttpResult<OAuthError>? Error)> ReadTokenAsync(HttpRequest request)
    {
        var (form, formError) = await ReadAsync(request);
        if (form is null)
        {
            return (null, OAuthResults.InvalidRequest(formError!));
        }

        if (!form.TryGetSingle("token", out var token) || !form.TryGetSingle("token_type_hint", out _))
        {
            return (null, OAuthResults.Error(StatusCodes.Status400BadRequest, "invalid_request", "A parameter was sent more than once."));
        }

        return token is null
            ? (null, OAuthResults.Error(StatusCodes.Status400BadRequest, "invalid_request", "Missing parameter: token."))
            : (token, null);
    }

    /// <summary>
    /// The one value of <paramref name="name"/>: <c>null</c> when it is absent or empty; <c>false</c> when it was
    /// sent more than once (RFC 6749 §3.2: request parameters must not be repeated).
    /// </summary>
    public bool TryGetSingle(string name, out string? value)
    {
        value = null;
        if (!_fields.TryGetValue(name, out var values))
        {
            return true;
        }

        if (values.Count > 1)
        {
            return false;
        }

        value = values[0].Length == 0 ? null : values[0];
        return true;
    }

    // '+' is a space and %XX a byte; the bytes must then be UTF-8. A '%' not followed by two hex digits stays itself.
    private static bool TryDecode(ReadOnlySpan<byte> encoded, out string decoded)
    {
        decoded = string.Empty;
        var bytes = new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == (byte)'%' && i + 2 < encoded.Length && Uri.IsHexDigit((char)encoded[i + 1]) && Uri.IsHexDigit((char)encoded[i + 2]))
            {
                bytes[length++] = (byte)((Uri.FromHex((char)encoded[i + 1]) << 4) | Uri.FromHex((char)encoded[i + 2]));
                i += 2;
            }
            else
            {
                bytes[length++] = b == (byte)'+' ? (byte)' ' : b;
            }
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, length);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

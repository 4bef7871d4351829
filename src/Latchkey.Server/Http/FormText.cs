using System.Text.Unicode;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Latchkey.Server.Http;

/// <summary>
/// Checks that a UTF-8 form's fields are UTF-8 text. ASP.NET Core's form readers turn invalid bytes into U+FFFD
/// without a word, so <c>name=%FF</c> would become a token named "�": the client's input silently changed. GitLab's
/// <c>HandleMalformedStrings</c> middleware refuses such parameters; so does this check, for every form.
/// </summary>
internal static class FormText
{
    /// <summary>
    /// Whether every field of the buffered form is UTF-8 text. A form that declares another charset is decoded in
    /// it and not judged here; a form that cannot be parsed counts as valid, for the form reader to report.
    /// </summary>
    public static async Task<bool> IsValidTextAsync(HttpRequest request, byte[] body)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            // '&' and '=' are ASCII and never part of a multi-byte sequence, so the whole body decodes as the
            // fields would, one by one.
            return Utf8.IsValid(PercentDecode(body));
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return true;
        }

        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false));
            while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted) is { } section)
            {
                // Files are bytes, not text; only form fields are read as strings.
                if (section.GetContentDispositionHeader() is { } disposition && disposition.IsFileDisposition())
                {
                    continue;
                }

                using var value = new MemoryStream();
                await section.Body.CopyToAsync(value, request.HttpContext.RequestAborted);
                if (!Utf8.IsValid(value.GetBuffer().AsSpan(0, (int)value.Length)))
                {
                    return false;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            // Not a well-formed multipart body: the form reader says so.
        }

        return true;
    }

    private static byte[] PercentDecode(byte[] body)
    {
        var decoded = new byte[body.Length];
        var length = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var b = body[i];
            if (b == (byte)'%' && i + 2 < body.Length && Uri.IsHexDigit((char)body[i + 1]) && Uri.IsHexDigit((char)body[i + 2]))
            {
                decoded[length++] = (byte)((Uri.FromHex((char)body[i + 1]) << 4) | Uri.FromHex((char)body[i + 2]));
                i += 2;
            }
            else
            {
                decoded[length++] = b == (byte)'+' ? (byte)' ' : b;
            }
        }

        return decoded[..length];
    }
}

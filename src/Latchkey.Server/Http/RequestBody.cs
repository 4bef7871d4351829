namespace Latchkey.Server.Http;

/// <summary>
/// The one place request bodies come off the wire. A body that cannot be read — over the size limit, cut off, or
/// with broken chunked framing — becomes a <see cref="BodyError"/> (<see cref="BodyErrorKind.TooLarge"/> or
/// <see cref="BodyErrorKind.Unreadable"/>) for each API to answer in its own shape, instead of an exception that
/// reaches the host as a 500 with a stack trace anyone could fill the log with.
/// </summary>
internal static class RequestBody
{
    /// <summary>The whole body; bodies are small (Kestrel caps them at 1 MiB), so it is buffered.</summary>
    public static async Task<(byte[]? Bytes, BodyError? Error)> ReadAsync(HttpRequest request)
    {
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            return (buffer.ToArray(), null);
        }
        catch (Exception exception) when (IsTransportFailure(exception))
        {
            return (null, TransportError(exception));
        }
    }

    /// <summary>
    /// A urlencoded or multipart form. The body is read first, so a transport failure is told apart from a form
    /// that arrived whole but cannot be parsed (a truncated multipart body, too many fields): that is
    /// <see cref="BodyErrorKind.Malformed"/>. A field that is not UTF-8 text is <see cref="BodyErrorKind.Invalid"/>.
    /// </summary>
    public static async Task<(IFormCollection? Form, BodyError? Error)> ReadFormAsync(HttpRequest request)
    {
        var (bytes, error) = await ReadAsync(request);
        if (error is not null)
        {
            return (null, error);
        }

        if (!await FormText.IsValidTextAsync(request, bytes!))
        {
            return (null, new BodyError(BodyErrorKind.Invalid, "body", "The form holds a field that is not valid UTF-8 text."));
        }

        request.Body = new MemoryStream(bytes!, writable: false);
        try
        {
            return (await request.ReadFormAsync(request.HttpContext.RequestAborted), null);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            // The multipart reader says "Unexpected end of Stream" (IOException) for a body without its closing
            // boundary; the form readers say InvalidDataException for limits. The bytes are all here, so either is
            // the form's fault.
            return (null, new BodyError(BodyErrorKind.Malformed, "body", "The request body is not a valid form."));
        }
    }

    // Kestrel reports a body it cannot read as BadHttpRequestException (cut off, over the limit, bad chunk
    // extension) or as IOException (a chunk size that overflows); the form readers use InvalidDataException.
    private static bool IsTransportFailure(Exception exception)
        => exception is BadHttpRequestException or IOException or InvalidDataException;

    private static BodyError TransportError(Exception exception)
        => exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            ? new BodyError(BodyErrorKind.TooLarge, "body", "The request body is larger than the server accepts.")
            : new BodyError(BodyErrorKind.Unreadable, "body", "The request body could not be read (broken framing or cut off).");
}

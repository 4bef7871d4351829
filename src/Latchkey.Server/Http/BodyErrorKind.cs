namespace Latchkey.Server.Http;

internal enum BodyErrorKind
{
    Missing,
    UnsupportedMediaType,
    Malformed,
    Invalid,

    /// <summary>Over the server's body size limit (413).</summary>
    TooLarge,

    /// <summary>The body could not be read off the connection: broken chunked framing, cut off (400).</summary>
    Unreadable,
}

namespace Latchkey.Server.Api;

internal enum BodyErrorKind
{
    Missing,
    UnsupportedMediaType,
    Malformed,
    Invalid,
}

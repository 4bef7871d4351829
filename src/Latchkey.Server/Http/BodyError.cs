namespace Latchkey.Server.Http;

/// <summary>What was wrong with a request body, and where.</summary>
internal sealed record BodyError(BodyErrorKind Kind, string Field, string Message);

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>
/// The shape of <see cref="UnleashErrors"/>' bodies, for the OpenAPI document (they are built as JSON objects).
/// Errors from Unleash's middleware carry an <c>id</c>; errors from its services do not.
/// </summary>
internal sealed class UnleashError
{
    public string? Id { get; init; }

    public required string Name { get; init; }

    public required string Message { get; init; }

    public required IReadOnlyList<UnleashErrorDetail> Details { get; init; }
}

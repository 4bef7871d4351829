namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>The create request as a client sends it (JSON or a form), for the OpenAPI document; <see cref="CreateApiTokenInput"/> reads it.</summary>
internal sealed class CreateApiTokenRequest
{
    /// <summary>At most 255 characters.</summary>
    public required string Name { get; init; }

    /// <summary>Scopes; omitted or null: <c>["*"]</c>, all of the user's rights.</summary>
    public IReadOnlyList<string>? Abilities { get; init; }
}

using System.Text.Json;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>One RFC 6902 operation of a PATCH body, for the OpenAPI document (<see cref="SailPointPatch"/> reads them).</summary>
internal sealed class JsonPatchOperation
{
    /// <summary><c>replace</c> (or <c>add</c>) of <c>/name</c>, <c>/scope</c>, <c>/expirationDate</c> or <c>/userAwareTokenNeverExpires</c>.</summary>
    public required string Op { get; init; }

    public required string Path { get; init; }

    public JsonElement Value { get; init; }
}

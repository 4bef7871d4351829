using System.Text.Json.Serialization;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// SailPoint's error body. <see cref="Error"/> is only written on 401s, where SailPoint's API documents a bare
/// <c>{"error": …}</c> object; carrying both shapes there lets clients written against either read it.
/// </summary>
internal sealed record ErrorResponseDto(
    string DetailCode,
    string TrackingId,
    IReadOnlyList<ErrorMessageDto> Messages,
    IReadOnlyList<ErrorMessageDto> Causes)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}

using System.Text.Json;

namespace Latchkey.Server.Api;

/// <summary>PATCH /api/tokens/{id}: any subset of the fields.</summary>
internal sealed class UpdateTokenBody
{
    public string? Name { get; set; }

    [System.ComponentModel.Description("A string, or null to clear it. Omitted: unchanged.")]
    public JsonElement Description { get; set; }

    public List<string>? Scopes { get; set; }

    [System.ComponentModel.Description("A date (YYYY-MM-DD; the token dies at 00:00 UTC that day) or an ISO 8601 date-time; null for a token that never expires (with never_expires_acknowledged: true). Omitted: unchanged.")]
    public JsonElement ExpiresAt { get; set; }

    public bool NeverExpiresAcknowledged { get; set; }
}

using System.Text.Json;

namespace Latchkey.Server.Api;

/// <summary>POST /api/tokens/{id}/rotate: an optional new expiry; without one the new token keeps the old lifetime.</summary>
internal sealed class RotateTokenBody
{
    [System.ComponentModel.Description("A date (YYYY-MM-DD; the token dies at 00:00 UTC that day) or an ISO 8601 date-time; null for a token that never expires (with never_expires_acknowledged: true). Omitted: the old lifetime.")]
    public JsonElement ExpiresAt { get; set; }

    public bool NeverExpiresAcknowledged { get; set; }
}

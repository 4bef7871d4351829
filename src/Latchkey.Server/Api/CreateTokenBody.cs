using System.Text.Json;

namespace Latchkey.Server.Api;

/// <summary>POST /api/tokens. <c>expires_at</c>: omitted → default lifetime; <c>null</c> → never (with acknowledgement).</summary>
internal sealed class CreateTokenBody
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? Scopes { get; set; }

    [System.ComponentModel.Description("A date (YYYY-MM-DD; the token dies at 00:00 UTC that day) or an ISO 8601 date-time; null for a token that never expires (with never_expires_acknowledged: true). Omitted: the policy's default lifetime.")]
    public JsonElement ExpiresAt { get; set; }

    public bool NeverExpiresAcknowledged { get; set; }

    /// <summary>Administrators only: create the token for this user.</summary>
    public long? UserId { get; set; }
}

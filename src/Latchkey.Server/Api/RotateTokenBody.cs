using System.Text.Json;

namespace Latchkey.Server.Api;

/// <summary>POST /api/tokens/{id}/rotate: an optional new expiry; without one the new token keeps the old lifetime.</summary>
internal sealed class RotateTokenBody
{
    public JsonElement ExpiresAt { get; set; }

    public bool NeverExpiresAcknowledged { get; set; }
}

using System.Text.Json;

namespace Latchkey.Server.Api;

/// <summary>PATCH /api/tokens/{id}: any subset of the fields.</summary>
internal sealed class UpdateTokenBody
{
    public string? Name { get; set; }

    public JsonElement Description { get; set; }

    public List<string>? Scopes { get; set; }

    public JsonElement ExpiresAt { get; set; }

    public bool NeverExpiresAcknowledged { get; set; }
}

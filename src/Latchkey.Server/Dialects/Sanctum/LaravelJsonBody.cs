using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>A JSON object body taken as it is, every field kept, so each can be validated with Laravel's rules.</summary>
internal sealed class LaravelJsonBody
{
    [JsonExtensionData]
    public JsonObject? Fields { get; set; }
}

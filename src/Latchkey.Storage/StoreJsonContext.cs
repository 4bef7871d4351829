using System.Text.Json.Serialization;

namespace Latchkey.Storage;

/// <summary>
/// Scopes, last-used addresses and attributes are stored as JSON text. Source-generated, because every cold
/// lookup of a token reads them.
/// </summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;

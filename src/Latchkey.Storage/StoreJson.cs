using System.Text.Json;

namespace Latchkey.Storage;

internal static class StoreJson
{
    public static string WriteList(IReadOnlyList<string> values)
        => JsonSerializer.Serialize(values, StoreJsonContext.Default.IReadOnlyListString);

    public static string WriteMap(IReadOnlyDictionary<string, string> values)
        => JsonSerializer.Serialize(values, StoreJsonContext.Default.IReadOnlyDictionaryStringString);

    public static string[] ReadList(string json)
        => JsonSerializer.Deserialize(json, StoreJsonContext.Default.StringArray) ?? [];

    public static Dictionary<string, string> ReadMap(string json)
        => JsonSerializer.Deserialize(json, StoreJsonContext.Default.DictionaryStringString) ?? [];
}

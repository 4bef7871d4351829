using System.Globalization;
using System.Text.Json;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>The dialect's JSON: snake_case fields as Laravel models serialise, instants as the seed shows them.</summary>
internal static class SanctumJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>
    /// <c>2024-01-15T19:00:00Z</c> as in the seed. Laravel itself writes microseconds
    /// (<c>…19:00:00.000000Z</c>); the seed is what Talkover's clients were written against.
    /// </summary>
    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Sanctum's plainTextToken is <c>{id}|{token}</c>; the id is the same one <c>id</c> and the URLs carry.</summary>
    public static string FormatId(long id) => id.ToString(CultureInfo.InvariantCulture);
}

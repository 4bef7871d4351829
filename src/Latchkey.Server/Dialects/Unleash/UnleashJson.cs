using System.Text.Encodings.Web;
using System.Text.Json;
using Latchkey.Server.Http;

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>How Unleash writes JSON: camelCase, instants as <c>toISOString()</c> does, and Node's escaping.</summary>
internal static class UnleashJson
{
    /// <summary>
    /// Node's <c>JSON.stringify</c> escapes only what JSON requires (<c>\"</c>, not <c>\u0022</c>; backticks and
    /// non-ASCII as they are). Unleash's error texts quote with both, so the relaxed encoder is what makes our bodies
    /// byte for byte the same. Every response is <c>application/json</c>, never HTML, so nothing is lost by it.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

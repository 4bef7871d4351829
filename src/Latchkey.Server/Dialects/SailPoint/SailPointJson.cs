using System.Text.Json.Serialization;
using System.Text.Json;
using Latchkey.Server.Http;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// SailPoint's JSON: camelCase members, nulls written out (clients read <c>expirationDate: null</c> as "never"),
/// instants in UTC with milliseconds and a <c>Z</c>.
/// </summary>
internal static class SailPointJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

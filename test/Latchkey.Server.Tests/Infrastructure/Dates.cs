using System.Globalization;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>Dates as the API takes them and instants as it gives them back (<c>using static</c> in tests).</summary>
public static class Dates
{
    /// <summary>A calendar date relative to today in UTC, as <c>YYYY-MM-DD</c>.</summary>
    public static string Date(int daysFromToday) => DateTime.UtcNow.Date.AddDays(daysFromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An ISO 8601 instant <paramref name="seconds"/> from now, for tokens that must expire during a test.</summary>
    public static string SecondsFromNow(double seconds) => DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// An ISO 8601 instant <paramref name="seconds"/> from now by the server's <paramref name="clock"/>, which earlier
    /// tests on a shared server may have moved ahead of the system's.
    /// </summary>
    public static string SecondsFromNow(TimeProvider clock, double seconds) => clock.GetUtcNow().AddSeconds(seconds).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A timestamp field of a response.</summary>
    public static DateTimeOffset Instant(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}

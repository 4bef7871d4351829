using System.Globalization;
using System.Text.RegularExpressions;

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>
/// The <c>date-time</c> format as Unleash's request validation (ajv-formats) checks it: RFC 3339 with a time zone,
/// a real calendar date and clock time. A bare date (<c>2027-01-01</c>) or a local time without a zone is not one.
/// </summary>
internal static partial class UnleashDateTime
{
    public enum Outcome
    {
        Parsed,

        /// <summary>Not an RFC 3339 date-time at all.</summary>
        NotDateTime,

        /// <summary>A valid date-time before year 1 (UTC): certainly in the past, but not representable.</summary>
        BeforeRepresentable,

        /// <summary>A valid date-time after the end of year 9999 (UTC), which nothing here can store.</summary>
        AfterRepresentable,
    }

    // Far longer than any date-time with a sensible fraction; keeps the pattern's work bounded.
    private const int MaxLength = 64;

    public static Outcome TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length > MaxLength)
        {
            return Outcome.NotDateTime;
        }

        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            return Outcome.NotDateTime;
        }

        int Part(string name) => int.Parse(match.Groups[name].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

        var (year, month, day) = (Part("year"), Part("month"), Part("day"));
        var (hour, minute, second) = (Part("hour"), Part("minute"), Part("second"));
        var offset = TimeSpan.Zero;
        if (match.Groups["sign"].Success)
        {
            var offsetHours = Part("oh");
            var offsetMinutes = match.Groups["om"].Success ? Part("om") : 0;
            if (offsetHours > 23 || offsetMinutes > 59)
            {
                return Outcome.NotDateTime;
            }

            offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (match.Groups["sign"].Value == "-" ? -1 : 1);
        }

        // Leap seconds (:60) are valid RFC 3339 but no .NET type holds them; no expiry needs one.
        if (month is < 1 or > 12 || day < 1 || hour > 23 || minute > 59 || second > 59
            || day > DateTime.DaysInMonth(year == 0 ? 2000 : year, month))
        {
            return Outcome.NotDateTime;
        }

        if (year == 0)
        {
            return Outcome.BeforeRepresentable;
        }

        // Fractions beyond 100 ns (.NET's tick) are cut, as beyond milliseconds Unleash's own Date cuts them.
        var fraction = match.Groups["fraction"].Success ? match.Groups["fraction"].Value : string.Empty;
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], NumberStyles.None, CultureInfo.InvariantCulture);

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks)
        {
            return Outcome.BeforeRepresentable;
        }

        if (utcTicks > DateTime.MaxValue.Ticks)
        {
            return Outcome.AfterRepresentable;
        }

        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return Outcome.Parsed;
    }

    [GeneratedRegex(
        @"^(?<year>[0-9]{4})-(?<month>[0-9]{2})-(?<day>[0-9]{2})[Tt\s](?<hour>[0-9]{2}):(?<minute>[0-9]{2}):(?<second>[0-9]{2})(?:\.(?<fraction>[0-9]+))?(?:[Zz]|(?<sign>[+-])(?<oh>[0-9]{2})(?::?(?<om>[0-9]{2}))?)\z",
        RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: 100)]
    private static partial Regex Rfc3339();
}

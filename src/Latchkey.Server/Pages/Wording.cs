using System.Globalization;

namespace Latchkey.Server.Pages;

/// <summary>How the pages word times and durations: relative for reading at a glance, exact UTC on hover.</summary>
internal static class Wording
{
    /// <summary>"3 minutes", "1 hour", "2 days": the largest whole unit, rounded up so a wait is never understated.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return Plural(Math.Max(1, (int)Math.Ceiling(span.TotalSeconds)), "second");
        }

        if (span < TimeSpan.FromHours(1))
        {
            return Plural((int)Math.Ceiling(span.TotalMinutes), "minute");
        }

        return span < TimeSpan.FromDays(1) ? Plural((int)Math.Ceiling(span.TotalHours), "hour") : Plural((int)Math.Floor(span.TotalDays), "day");
    }

    /// <summary>"just now", "5 minutes ago", "in 3 days".</summary>
    public static string Relative(DateTimeOffset instant, DateTimeOffset now)
    {
        var span = instant - now;
        if (span.Duration() < TimeSpan.FromMinutes(1))
        {
            return "just now";
        }

        var magnitude = span.Duration();
        var words = magnitude < TimeSpan.FromHours(1) ? Plural((int)magnitude.TotalMinutes, "minute")
            : magnitude < TimeSpan.FromDays(1) ? Plural((int)magnitude.TotalHours, "hour")
            : Plural((int)magnitude.TotalDays, "day");
        return span < TimeSpan.Zero ? $"{words} ago" : $"in {words}";
    }

    /// <summary>The exact instant, for a <c>title</c>: <c>2026-12-01 04:30:00 UTC</c>.</summary>
    public static string Exact(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The machine-readable value for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset instant) => Date(instant.UtcDateTime);

    public static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}

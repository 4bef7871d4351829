using System.Text.RegularExpressions;
using Latchkey.Server.Http;
using Latchkey.Stores;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// The <c>filters</c> parameter of the token list, in SailPoint's standard filter syntax. The list supports
/// <c>lastUsed le &lt;date-time&gt;</c> and <c>lastUsed isnull</c>, which may be joined with <c>and</c>.
/// </summary>
internal static partial class SailPointFilter
{
    public const string Supported = "lastUsed le <date-time>, lastUsed isnull";

    public static bool TryApply(string? filters, TokenQuery query, out TokenQuery filtered, out string? error)
    {
        filtered = query;
        error = null;
        if (string.IsNullOrWhiteSpace(filters))
        {
            return true;
        }

        var isNull = false;
        DateTimeOffset? atMost = null;
        foreach (var clause in AndSeparator().Split(filters.Trim()))
        {
            var match = Clause().Match(clause);
            if (!match.Success)
            {
                error = $"Unsupported filter '{clause}'; supported: {Supported}.";
                return false;
            }

            if (match.Groups["op"].Value == "isnull")
            {
                isNull = true;
                continue;
            }

            if (!ExpiryParser.TryParse(match.Groups["value"].Value, out var expiry) || expiry.At is not { } at)
            {
                error = $"lastUsed le needs {ExpiryParser.FormatHint}; got '{match.Groups["value"].Value}'.";
                return false;
            }

            atMost = atMost is { } earlier && earlier < at ? earlier : at;
        }

        if (atMost is { } limit)
        {
            // "le" includes the instant itself and excludes tokens never used, while the store's "before" is strict
            // and counts never-used tokens in; the store keeps whole milliseconds.
            var truncated = limit.AddTicks(-(limit.UtcTicks % TimeSpan.TicksPerMillisecond));
            filtered = filtered with
            {
                NeverUsed = false,
                LastUsedBefore = truncated < DateTimeOffset.MaxValue.AddMilliseconds(-1) ? truncated.AddMilliseconds(1) : null,
            };
        }

        if (isNull)
        {
            // Both at once can match nothing: "used after the beginning of time" excludes every never-used token.
            filtered = atMost is null
                ? filtered with { NeverUsed = true }
                : filtered with { NeverUsed = true, LastUsedAfter = DateTimeOffset.MinValue };
        }

        return true;
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex AndSeparator();

    [GeneratedRegex(@"^\s*lastUsed\s+(?:(?<op>isnull)|(?<op>le)\s+""?(?<value>[^""\s]+)""?)\s*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Clause();
}

using System.Globalization;
using System.Text.Json;
using Latchkey.Policy;

namespace Latchkey.Server.Http;

/// <summary>
/// Reads an <c>expires_at</c> value: a calendar date (<c>YYYY-MM-DD</c>: the token dies at 00:00 UTC that day, as
/// GitLab's do) or an ISO 8601 date-time (without an offset it is taken as UTC).
/// </summary>
internal static class ExpiryParser
{
    public const string FormatHint = "a date (YYYY-MM-DD) or an ISO 8601 date-time";

    public static bool TryParse(string? text, out TokenExpiry expiry)
    {
        expiry = TokenExpiry.Default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            expiry = TokenExpiry.OnDate(date);
            return true;
        }

        if (text.Length >= 16 && text[10] is 'T' or 't' or ' '
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            expiry = TokenExpiry.On(at);
            return true;
        }

        return false;
    }

    /// <summary>
    /// From a JSON member: absent → the policy default; <c>null</c> → never (acknowledged or not); a string → parsed.
    /// </summary>
    public static bool TryRead(JsonElement element, bool neverAcknowledged, out TokenExpiry expiry)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Undefined:
                expiry = TokenExpiry.Default;
                return true;
            case JsonValueKind.Null:
                expiry = TokenExpiry.Never(neverAcknowledged);
                return true;
            case JsonValueKind.String:
                return TryParse(element.GetString(), out expiry);
            default:
                expiry = TokenExpiry.Default;
                return false;
        }
    }
}

using System.Globalization;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>How GitLab writes a token's expiry: a calendar date, the day the token stops working.</summary>
internal static class GitLabDates
{
    /// <summary>
    /// The UTC date of the instant. A token made elsewhere with a time of day shows the day it dies, so a GitLab
    /// client never believes it lives longer than it does.
    /// </summary>
    public static string? ExpiresAt(DateTimeOffset? expiresAt)
        => expiresAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

using System.Globalization;
using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// What SailPoint keeps about a token that the engine has no column for, stored in the token's attributes.
/// Tokens made through other APIs have none and read as SailPoint's defaults.
/// </summary>
internal static class SailPointTokenAttributes
{
    public const string ValiditySecondsKey = "sailpoint.accessTokenValiditySeconds";
    public const string NeverExpiresAcknowledgedKey = "sailpoint.userAwareTokenNeverExpires";

    public const int DefaultValiditySeconds = 43200;
    public const int MinimumValiditySeconds = 15;
    public const int MaximumValiditySeconds = 43200;

    public static int ValiditySeconds(PersonalAccessToken token)
        => token.Attributes.TryGetValue(ValiditySecondsKey, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= MinimumValiditySeconds and <= MaximumValiditySeconds
                ? seconds
                : DefaultValiditySeconds;

    /// <summary>As the owner last said it; a token from elsewhere that never expires was acknowledged when it was made.</summary>
    public static bool NeverExpiresAcknowledged(PersonalAccessToken token)
        => token.Attributes.TryGetValue(NeverExpiresAcknowledgedKey, out var text) && bool.TryParse(text, out var acknowledged)
            ? acknowledged
            : token.ExpiresAt is null;

    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> attributes, int? validitySeconds, bool? neverExpiresAcknowledged)
    {
        var merged = new Dictionary<string, string>(attributes, StringComparer.Ordinal);
        if (validitySeconds is { } seconds)
        {
            merged[ValiditySecondsKey] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (neverExpiresAcknowledged is { } acknowledged)
        {
            merged[NeverExpiresAcknowledgedKey] = acknowledged ? "true" : "false";
        }

        return merged;
    }
}

namespace Latchkey.AspNetCore;

/// <summary>Masks secrets in text that is about to be logged.</summary>
public static class SecretRedaction
{
    public const string Mask = "[Redacted]";

    /// <summary>Query parameters whose values are credentials in one API or another.</summary>
    public static readonly IReadOnlySet<string> SecretParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        LatchkeyDefaults.QueryParameterName, "access_token", "token", "client_secret", "password", "refresh_token", "secret",
    };

    /// <summary>Returns the query string with the values of <see cref="SecretParameters"/> masked.</summary>
    public static string RedactQuery(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        var body = query.StartsWith('?') ? query[1..] : query;
        var parts = body.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((equals < 0 ? parts[i] : parts[i][..equals]).Replace('+', ' '));
            if (SecretParameters.Contains(name))
            {
                parts[i] = (equals < 0 ? parts[i] : parts[i][..equals]) + "=" + Mask;
            }
        }

        return "?" + string.Join('&', parts);
    }
}

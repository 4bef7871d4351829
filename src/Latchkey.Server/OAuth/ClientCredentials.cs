using System.Text;
using Microsoft.Extensions.Primitives;

namespace Latchkey.Server.OAuth;

/// <summary>
/// An OAuth client's <c>client_id</c> and <c>client_secret</c> (RFC 6749 §2.3.1), read as every token endpoint of
/// the server reads them (<c>/oauth/token</c> today; introspection and revocation, RFC 7662 and RFC 7009, next):
/// from HTTP Basic, or from the request's parameters (the form body, else the query string, as SailPoint documents).
/// </summary>
internal sealed record ClientCredentials(string Id, string Secret)
{
    /// <summary>
    /// Reads the credentials; <paramref name="credentials"/> is set when the outcome is
    /// <see cref="ClientCredentialsOutcome.Read"/>.
    /// </summary>
    public static ClientCredentialsOutcome Read(HttpRequest request, IFormCollection? form, out ClientCredentials? credentials)
    {
        credentials = null;
        if (!TryReadParameter(request, form, "client_id", out var id) || !TryReadParameter(request, form, "client_secret", out var secret))
        {
            return ClientCredentialsOutcome.RepeatedParameter;
        }

        if (IsBasic(request.Headers.Authorization.ToString(), out var encoded))
        {
            if (id is not null || secret is not null)
            {
                return ClientCredentialsOutcome.MoreThanOneMethod;
            }

            (id, secret) = DecodeBasic(encoded);
        }

        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
        {
            return ClientCredentialsOutcome.Missing;
        }

        credentials = new ClientCredentials(id, secret);
        return ClientCredentialsOutcome.Read;
    }

    /// <summary>A parameter from the form body, else the query string; <c>false</c> when it was sent more than once (RFC 6749 §3.2).</summary>
    public static bool TryReadParameter(HttpRequest request, IFormCollection? form, string name, out string? value)
    {
        var values = form is not null && form.TryGetValue(name, out var fromForm) ? fromForm
            : request.Query.TryGetValue(name, out var fromQuery) ? fromQuery
            : StringValues.Empty;
        value = values.Count == 1 ? values[0] : null;
        return values.Count <= 1;
    }

    // The secret is a personal access token (SailPoint's client credentials): keep it out of anything that prints the record.
    public override string ToString() => $"ClientCredentials {{ Id = {Id} }}";

    private static bool IsBasic(string header, out string encoded)
    {
        var basic = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        encoded = basic ? header["Basic ".Length..].Trim() : "";
        return basic;
    }

    // client_secret_basic: both halves form-urlencoded, then Base64. Anything undecodable is no credentials at all.
    private static (string? Id, string? Secret) DecodeBasic(string encoded)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (FormDecode(decoded[..colon]), FormDecode(decoded[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private static string FormDecode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Latchkey.Policy;
using Latchkey.Server.Http;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// Reads typed values out of a SailPoint request body. Absent and <c>null</c> read as <c>null</c>; a value of the
/// wrong type is SailPoint's "400.0 Bad request syntax", a value of the right type that makes no sense is
/// "400.1 Bad Request Content".
/// </summary>
internal static class SailPointValues
{
    public static bool TryReadString(JsonElement node, string field, out string? value, [NotNullWhen(false)] out IResult? error)
    {
        value = null;
        error = null;
        if (IsAbsent(node))
        {
            return true;
        }

        if (node.ValueKind != JsonValueKind.String)
        {
            error = SailPointErrors.Syntax($"{field} must be a string.");
            return false;
        }

        value = node.GetString();
        return true;
    }

    public static bool TryReadBoolean(JsonElement node, string field, out bool? value, [NotNullWhen(false)] out IResult? error)
    {
        value = null;
        error = null;
        if (IsAbsent(node))
        {
            return true;
        }

        if (node.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = SailPointErrors.Syntax($"{field} must be true or false.");
            return false;
        }

        value = node.GetBoolean();
        return true;
    }

    public static bool TryReadInteger(JsonElement node, string field, out int? value, [NotNullWhen(false)] out IResult? error)
    {
        value = null;
        error = null;
        if (IsAbsent(node))
        {
            return true;
        }

        if (node.ValueKind != JsonValueKind.Number || !node.TryGetInt32(out var number))
        {
            error = SailPointErrors.Syntax($"{field} must be a whole number.");
            return false;
        }

        value = number;
        return true;
    }

    /// <summary>A list of SailPoint scope names, returned in engine terms.</summary>
    public static bool TryReadScopes(JsonElement node, out IReadOnlyList<string>? scopes, [NotNullWhen(false)] out IResult? error)
    {
        scopes = null;
        error = null;
        if (IsAbsent(node))
        {
            return true;
        }

        if (node.ValueKind != JsonValueKind.Array || node.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            error = SailPointErrors.Syntax("scope must be an array of strings.");
            return false;
        }

        scopes = node.EnumerateArray().Select(item => SailPointScopes.ToEngine(item.GetString()!)).ToArray();
        return true;
    }

    /// <summary>An <c>expirationDate</c>: absent or <c>null</c> means "never", which needs the acknowledgement.</summary>
    public static bool TryReadExpiry(JsonElement node, bool neverAcknowledged, out TokenExpiry expiry, [NotNullWhen(false)] out IResult? error)
    {
        expiry = TokenExpiry.Never(neverAcknowledged);
        if (!TryReadString(node, "expirationDate", out var text, out error))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        if (!ExpiryParser.TryParse(text, out expiry))
        {
            error = SailPointErrors.Content($"expirationDate must be {ExpiryParser.FormatHint}, e.g. 2026-12-31T23:59:59.999Z.");
            return false;
        }

        return true;
    }

    public static bool TryReadValiditySeconds(JsonElement node, out int? seconds, [NotNullWhen(false)] out IResult? error)
    {
        if (!TryReadInteger(node, "accessTokenValiditySeconds", out seconds, out error))
        {
            return false;
        }

        if (seconds is < SailPointTokenAttributes.MinimumValiditySeconds or > SailPointTokenAttributes.MaximumValiditySeconds)
        {
            error = SailPointErrors.Content(
                $"accessTokenValiditySeconds must be between {SailPointTokenAttributes.MinimumValiditySeconds} and {SailPointTokenAttributes.MaximumValiditySeconds}.");
            return false;
        }

        return true;
    }

    /// <summary>A member that was not sent, or sent as <c>null</c>.</summary>
    public static bool IsAbsent(JsonElement node) => node.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Latchkey.Policy;
using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// A JSON Patch (RFC 6902) document for a token, as SailPoint accepts it: <c>replace</c> operations on
/// <c>/name</c>, <c>/scope</c>, <c>/expirationDate</c> and <c>/userAwareTokenNeverExpires</c>, applied in order.
/// </summary>
internal sealed class SailPointPatch
{
    private const string Patchable = "/name, /scope, /expirationDate, /userAwareTokenNeverExpires";

    private JsonElement _expirationDate;

    public string? Name { get; private set; }

    public IReadOnlyList<string>? Scopes { get; private set; }

    public bool ExpirationDateReplaced { get; private set; }

    public bool? NeverExpiresAcknowledged { get; private set; }

    public bool IsEmpty => Name is null && Scopes is null && !ExpirationDateReplaced && NeverExpiresAcknowledged is null;

    public static bool TryRead(IReadOnlyList<JsonElement> operations, [NotNullWhen(true)] out SailPointPatch? patch, [NotNullWhen(false)] out IResult? error)
    {
        patch = new SailPointPatch();
        error = null;
        foreach (var operation in operations)
        {
            if (operation.ValueKind != JsonValueKind.Object)
            {
                error = SailPointErrors.Syntax("Each patch operation must be an object with op, path and value.");
                break;
            }

            if (!SailPointValues.TryReadString(Member(operation, "op"), "op", out var op, out error)
                || !SailPointValues.TryReadString(Member(operation, "path"), "path", out var path, out error))
            {
                break;
            }

            if (op != "replace")
            {
                error = SailPointErrors.Content($"Only 'replace' operations are supported (got '{op}').");
                break;
            }

            if (!operation.TryGetProperty("value", out var value))
            {
                error = SailPointErrors.Missing($"The replace operation on '{path}' has no value.");
                break;
            }

            if (!patch.TryReplace(path, value, out error))
            {
                break;
            }
        }

        if (error is not null)
        {
            patch = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The expiry the patch asks for, judged against the token as it is: <c>null</c> leaves it alone. Replacing
    /// the date with <c>null</c>, or withdrawing the acknowledgement from a token that never expires, asks for
    /// "never" with whatever acknowledgement the patch gives, for the engine's policy to judge.
    /// </summary>
    public bool TryResolveExpiry(PersonalAccessToken token, out TokenExpiry? expiry, [NotNullWhen(false)] out IResult? error)
    {
        expiry = null;
        error = null;
        if (ExpirationDateReplaced)
        {
            if (!SailPointValues.TryReadExpiry(_expirationDate, NeverExpiresAcknowledged == true, out var asked, out error))
            {
                return false;
            }

            expiry = asked;
        }
        else if (NeverExpiresAcknowledged == false && token.ExpiresAt is null)
        {
            expiry = TokenExpiry.Never(acknowledged: false);
        }

        return true;
    }

    private bool TryReplace(string? path, JsonElement value, [NotNullWhen(false)] out IResult? error)
    {
        switch (path)
        {
            case "/name":
                if (!SailPointValues.TryReadString(value, "name", out var name, out error))
                {
                    return false;
                }

                if (name is null)
                {
                    error = SailPointErrors.Missing("name cannot be null.");
                    return false;
                }

                Name = name;
                return true;

            case "/scope":
                if (!SailPointValues.TryReadScopes(value, out var scopes, out error))
                {
                    return false;
                }

                // null or [] is SailPoint's default scope, as on create.
                Scopes = scopes ?? [];
                return true;

            case "/expirationDate":
                ExpirationDateReplaced = true;
                _expirationDate = value;
                return SailPointValues.TryReadExpiry(value, neverAcknowledged: true, out _, out error);

            case "/userAwareTokenNeverExpires":
                if (!SailPointValues.TryReadBoolean(value, "userAwareTokenNeverExpires", out var acknowledged, out error))
                {
                    return false;
                }

                NeverExpiresAcknowledged = acknowledged ?? false;
                return true;

            default:
                error = SailPointErrors.Content($"Path '{path}' cannot be patched; patchable: {Patchable}.");
                return false;
        }
    }

    private static JsonElement Member(JsonElement operation, string name)
        => operation.TryGetProperty(name, out var value) ? value : default;
}

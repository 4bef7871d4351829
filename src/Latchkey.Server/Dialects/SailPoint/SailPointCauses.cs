using System.Globalization;
using Latchkey.Server.Http;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// The specific reason (an error's <c>causes</c>) for an engine refusal, worded from the refusal's typed values with
/// the field and scope names a SailPoint client sends (<c>scope</c>, <c>expirationDate</c>, <c>sp:scopes:all</c>).
/// </summary>
internal static class SailPointCauses
{
    public static string For(TokenError error) => (error.Code, error.Reason) switch
    {
        (_, TokenErrorReason.NameMissing) => "name is missing or empty.",
        (_, TokenErrorReason.NameTooLong) => Invariant($"name is too long (maximum is {error.Limit} characters)."),
        (_, TokenErrorReason.NameInvalidCharacters) => "name must not contain control characters.",
        (_, TokenErrorReason.DescriptionTooLong) => Invariant($"description is too long (maximum is {error.Limit} characters)."),
        (_, TokenErrorReason.ScopesMissing) => "scope is missing or empty.",
        (_, TokenErrorReason.ScopeUnknown) => $"scope '{Wire(error.Scope)}' does not exist.",
        (_, TokenErrorReason.ScopeNotAllowed)
            => $"scope '{Wire(error.Scope)}' is not allowed here; allowed: {string.Join(", ", SailPointScopes.ToWire(error.AllowedScopes ?? []))}.",
        (_, TokenErrorReason.ScopeAdminOnly) => $"scope '{Wire(error.Scope)}' can only be given to administrators.",
        (_, TokenErrorReason.ScopeBeyondCeiling) => "scope cannot be broader than those of the token making the request.",
        (_, TokenErrorReason.ScopesNotNarrowed) => "scope can only be narrowed; rotate or create a new token for broader access.",
        (_, TokenErrorReason.ExpiryInPast) => "expirationDate must be in the future.",

        // SailPoint has no upper limit; an operator may set one, and the cause names the last instant allowed.
        (_, TokenErrorReason.ExpiryBeyondMaximum)
            => $"expirationDate must be no later than {error.LatestExpiry?.UtcDateTime.ToString(UtcDateTimeOffsetConverter.Format, CultureInfo.InvariantCulture)}.",
        (_, TokenErrorReason.NeverExpiringNotAllowed) => "tokens that never expire are not allowed; give an expiry date.",
        (_, TokenErrorReason.NeverExpiringNotAcknowledged) => "a token that never expires must be explicitly acknowledged.",
        (TokenErrorCode.NameTaken, _) => "A token with this name already exists.",
        (TokenErrorCode.LimitReached, _) => Invariant($"Too many tokens ({error.Limit}) already exist for this user."),
        (TokenErrorCode.Inactive or TokenErrorCode.ReuseDetected, _) => "The token is revoked or expired and cannot be changed.",
        (TokenErrorCode.Forbidden or TokenErrorCode.InsufficientScope, _) => "The token making the request may not do this.",
        _ => "The token was changed by another request.",
    };

    private static string Wire(string? scope) => scope is null ? string.Empty : SailPointScopes.ToWire(scope);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

namespace Latchkey;

/// <summary>
/// A refused operation: a code for the API to map, a message for people, the field or scope at fault, and — when a rule was
/// broken — the <see cref="Reason"/> with the values its wording needs. APIs word refusals from these typed members;
/// <see cref="Message"/> is the engine's own English and may change without notice.
/// </summary>
public sealed record TokenError(TokenErrorCode Code, string Message, string? Field = null, string? Scope = null)
{
    /// <summary>The rule that was broken; <see cref="TokenErrorReason.None"/> when <see cref="Code"/> says it all.</summary>
    public TokenErrorReason Reason { get; init; }

    /// <summary>
    /// The limit that was reached: a maximum length in characters (<see cref="TokenErrorReason.NameTooLong"/>,
    /// <see cref="TokenErrorReason.DescriptionTooLong"/>) or the most active tokens a user may have
    /// (<see cref="TokenErrorCode.LimitReached"/>).
    /// </summary>
    public int? Limit { get; init; }

    /// <summary>The latest expiry the policy would have allowed (<see cref="TokenErrorReason.ExpiryBeyondMaximum"/>).</summary>
    public DateTimeOffset? LatestExpiry { get; init; }

    /// <summary>The only scopes the policy allows (<see cref="TokenErrorReason.ScopeNotAllowed"/>).</summary>
    public IReadOnlyList<string>? AllowedScopes { get; init; }

    public static TokenError Invalid(TokenErrorReason reason, string field, string message) => new(TokenErrorCode.Invalid, message, field) { Reason = reason };

    public static readonly TokenError NotFound = new(TokenErrorCode.NotFound, "Token not found.");
}

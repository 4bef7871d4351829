namespace Latchkey;

/// <summary>
/// Which rule a refusal broke, for APIs to word in their own terms (with the values on <see cref="TokenError"/>)
/// instead of reading <see cref="TokenError.Message"/>, which is the engine's English and may be reworded.
/// </summary>
public enum TokenErrorReason
{
    /// <summary>No rule of its own: <see cref="TokenError.Code"/> says all there is (not found, name taken, …).</summary>
    None,

    NameMissing,

    /// <summary>Longer than <see cref="TokenError.Limit"/> characters.</summary>
    NameTooLong,

    /// <summary>Holds control characters.</summary>
    NameInvalidCharacters,

    /// <summary>Longer than <see cref="TokenError.Limit"/> characters.</summary>
    DescriptionTooLong,

    /// <summary>No scopes asked for, and the policy has no default.</summary>
    ScopesMissing,

    /// <summary><see cref="TokenError.Scope"/> is not in the catalog.</summary>
    ScopeUnknown,

    /// <summary><see cref="TokenError.Scope"/> is not among the policy's <see cref="TokenError.AllowedScopes"/>.</summary>
    ScopeNotAllowed,

    /// <summary><see cref="TokenError.Scope"/> can only be given to administrators.</summary>
    ScopeAdminOnly,

    /// <summary>The scopes asked for are broader than those of the credential making the request.</summary>
    ScopeBeyondCeiling,

    /// <summary>A change would broaden a token's scopes; they can only be narrowed.</summary>
    ScopesNotNarrowed,

    /// <summary>The expiry is now or in the past.</summary>
    ExpiryInPast,

    /// <summary>The expiry is later than <see cref="TokenError.LatestExpiry"/>, the policy's maximum lifetime from now.</summary>
    ExpiryBeyondMaximum,

    /// <summary>The policy does not allow tokens that never expire.</summary>
    NeverExpiringNotAllowed,

    /// <summary>A token that never expires was asked for without the explicit acknowledgement.</summary>
    NeverExpiringNotAcknowledged,

    /// <summary>A username that is empty, too long or holds characters other than letters, digits, '_', '-' and '.'.</summary>
    UsernameInvalid,

    EmailInvalid,

    /// <summary>Shorter than <see cref="TokenError.Limit"/> characters.</summary>
    PasswordTooShort,

    /// <summary>Longer than <see cref="TokenError.Limit"/> characters.</summary>
    PasswordTooLong,

    /// <summary>The current password given to change it is wrong.</summary>
    PasswordIncorrect,

    /// <summary>An administrator tried to block, delete or demote themselves (<see cref="TokenErrorCode.Conflict"/>).</summary>
    OwnAccount,

    /// <summary>The change would leave no active administrator (<see cref="TokenErrorCode.Conflict"/>).</summary>
    LastAdministrator,

    /// <summary>The token is expired, so it cannot be changed, rotated or exchanged (<see cref="TokenErrorCode.Inactive"/>).</summary>
    Expired,

    /// <summary>The token is revoked, so it cannot be changed, rotated or exchanged (<see cref="TokenErrorCode.Inactive"/>).</summary>
    Revoked,

    /// <summary>The code given is neither a current authenticator code nor an unused recovery code.</summary>
    TwoFactorCodeIncorrect,

    /// <summary>Two-factor authentication is already on (<see cref="TokenErrorCode.Conflict"/>).</summary>
    TwoFactorEnabled,

    /// <summary>Two-factor authentication is off, or no enrolment was started (<see cref="TokenErrorCode.Conflict"/>).</summary>
    TwoFactorNotEnabled,
}

namespace Latchkey.Auditing;

/// <summary>The names of audited actions.</summary>
public static class AuditActions
{
    public const string TokenCreated = "token.created";
    public const string TokenUpdated = "token.updated";
    public const string TokenRotated = "token.rotated";
    public const string TokenRevoked = "token.revoked";
    public const string TokenReuseDetected = "token.reuse_detected";
    public const string SessionCreated = "session.created";
    public const string SessionEnded = "session.ended";
    public const string SignInFailed = "sign_in.failed";
    public const string UserCreated = "user.created";
    public const string UserPasswordReset = "user.password_reset";
    public const string UserPasswordChanged = "user.password_changed";
    public const string UserUpdated = "user.updated";
    public const string UserBlocked = "user.blocked";
    public const string UserUnblocked = "user.unblocked";
    public const string UserDeleted = "user.deleted";
    public const string UserTokensRevoked = "user.tokens_revoked";
    public const string UserTwoFactorEnabled = "user.two_factor_enabled";
    public const string UserTwoFactorDisabled = "user.two_factor_disabled";
    public const string UserTwoFactorReset = "user.two_factor_reset";
    public const string UserRecoveryCodesRegenerated = "user.recovery_codes_regenerated";
    public const string UserRecoveryCodeUsed = "user.recovery_code_used";

    /// <summary>Every action above, in the order they are listed here: for filters that offer a choice.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        TokenCreated, TokenUpdated, TokenRotated, TokenRevoked, TokenReuseDetected, SessionCreated, SessionEnded, SignInFailed,
        UserCreated, UserPasswordReset, UserPasswordChanged, UserUpdated, UserBlocked, UserUnblocked, UserDeleted, UserTokensRevoked,
        UserTwoFactorEnabled, UserTwoFactorDisabled, UserTwoFactorReset, UserRecoveryCodesRegenerated, UserRecoveryCodeUsed,
    ];
}

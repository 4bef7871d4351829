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
}

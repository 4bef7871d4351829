namespace Latchkey.Users;

/// <summary>Which second factor a user proved, if any.</summary>
public enum SecondFactor
{
    /// <summary>Neither a current authenticator code nor an unused recovery code.</summary>
    None,

    /// <summary>A current authenticator code, never accepted before.</summary>
    AuthenticatorCode,

    /// <summary>A recovery code, now used up.</summary>
    RecoveryCode,
}

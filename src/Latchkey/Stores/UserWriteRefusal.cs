namespace Latchkey.Stores;

/// <summary>Why a store wrote nothing to a user.</summary>
public enum UserWriteRefusal
{
    None,

    /// <summary>There is no such user (any more).</summary>
    NotFound,

    /// <summary>The write would have left no active administrator; it was rolled back.</summary>
    LastAdministrator,

    /// <summary>The user's two-factor state was no longer what the write expected (a concurrent enrolment or change).</summary>
    TwoFactorChanged,
}

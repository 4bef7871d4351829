namespace Latchkey.Stores;

/// <summary>Why a store wrote nothing to a user.</summary>
public enum UserWriteRefusal
{
    None,

    /// <summary>There is no such user (any more).</summary>
    NotFound,

    /// <summary>The write would have left no active administrator; it was rolled back.</summary>
    LastAdministrator,
}

namespace Latchkey;

/// <summary>Why an engine operation was refused. Each API maps these onto its own status codes and shapes.</summary>
public enum TokenErrorCode
{
    /// <summary>The request is malformed or breaks a policy rule; <see cref="TokenError.Field"/> says which field.</summary>
    Invalid,

    /// <summary>No such token, or one the caller may not see (never distinguished, so ids cannot be probed).</summary>
    NotFound,

    /// <summary>The credential lacks a scope the operation needs; <see cref="TokenError.Scope"/> names it.</summary>
    InsufficientScope,

    /// <summary>The caller is known but the operation is not theirs to do (e.g. a non-admin acting for another user).</summary>
    Forbidden,

    /// <summary>The owner already has an active token with this name and the policy wants names unique.</summary>
    NameTaken,

    /// <summary>The owner has as many active tokens as the policy allows.</summary>
    LimitReached,

    /// <summary>A rotated-away secret was presented to rotate again: a reuse, so its whole family has been revoked.</summary>
    ReuseDetected,

    /// <summary>
    /// The token was already rotated: nothing was changed. The answer to a retried rotation, or to rotating by id a
    /// token that has a successor.
    /// </summary>
    AlreadyRotated,

    /// <summary>The token is revoked or expired and cannot be changed; <see cref="TokenError.Reason"/> says which.</summary>
    Inactive,

    /// <summary>Another request changed the token first (e.g. two concurrent rotations).</summary>
    Conflict,
}

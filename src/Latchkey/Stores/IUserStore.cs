using Latchkey.Auditing;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Stores;

/// <summary>
/// Plain persistence of users. Usernames are unique, compared without regard to case. Every change is one
/// transaction with its audit entry and, where tokens are affected, the notice for the other nodes' caches
/// (a <see cref="Changes.TokenChange"/> naming the user).
/// </summary>
public interface IUserStore
{
    Task<User?> FindAsync(long id, CancellationToken cancellationToken);

    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the user and appends its <see cref="NewUser.Audit"/> entry (with the new id as subject) in the same
    /// transaction; <c>null</c>, and nothing appended, when the username is taken.
    /// </summary>
    Task<User?> CreateAsync(NewUser user, CancellationToken cancellationToken);

    Task<Page<User>> ListAsync(int page, int perPage, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the password hash only while it is still <paramref name="expectedHash"/> (a rehash at sign-in must not
    /// undo a password change made meanwhile); <c>false</c> when it was not. Not audited: the password is the same.
    /// </summary>
    Task<bool> SetPasswordHashAsync(long id, string expectedHash, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="changes"/>, ends sessions if asked, records the change for every node's cache and appends <paramref name="audit"/>, atomically.</summary>
    Task<UserWriteOutcome> UpdateAsync(long id, UserChanges changes, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the user and every token they own, records the change for every node's cache and appends
    /// <paramref name="audit"/>, atomically. The audit log keeps what it says about them; the username is free again.
    /// </summary>
    Task<UserWriteOutcome> DeleteAsync(long id, bool keepAnActiveAdministrator, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>The user's authenticator keys and last accepted step; <c>null</c> when there is no such user.</summary>
    Task<TwoFactorSecrets?> GetTwoFactorAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Starts (or restarts) an enrolment: keeps <paramref name="pendingSecret"/> until a code confirms it. Only while
    /// two-factor authentication is off; <c>false</c>, and nothing written, otherwise or for an unknown user. Not
    /// audited: nothing about signing in changes until it is confirmed.
    /// </summary>
    Task<bool> SetPendingTwoFactorAsync(long id, string pendingSecret, CancellationToken cancellationToken);

    /// <summary>
    /// Turns two-factor authentication on with the pending key, only while that key is still
    /// <paramref name="expectedPendingSecret"/> and it is off (else <see cref="UserWriteRefusal.TwoFactorChanged"/>):
    /// the key becomes the user's, <paramref name="step"/> their last accepted step, <paramref name="recoveryCodes"/>
    /// their only recovery codes, and <paramref name="audit"/> is appended, atomically.
    /// </summary>
    Task<UserWriteOutcome> EnableTwoFactorAsync(long id, string expectedPendingSecret, long step, IReadOnlyList<(string KeyId, TokenHash Hash)> recoveryCodes, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Turns two-factor authentication off: the keys, the last step and every recovery code go, and
    /// <paramref name="audit"/> is appended, atomically.
    /// </summary>
    Task<UserWriteOutcome> DisableTwoFactorAsync(long id, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces every recovery code of a user with two-factor authentication on (else
    /// <see cref="UserWriteRefusal.TwoFactorChanged"/>), with <paramref name="audit"/>, atomically.
    /// </summary>
    Task<UserWriteOutcome> ReplaceRecoveryCodesAsync(long id, IReadOnlyList<(string KeyId, TokenHash Hash)> recoveryCodes, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="step"/> as the last accepted one, only if it is later than the one recorded and
    /// two-factor authentication is on; <c>false</c> otherwise, so of two requests with one code only one wins.
    /// </summary>
    Task<bool> AdvanceTwoFactorStepAsync(long id, long step, CancellationToken cancellationToken);

    /// <summary>The user's recovery codes, used ones included, in the order they were made.</summary>
    Task<IReadOnlyList<RecoveryCode>> ListRecoveryCodesAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a recovery code used at <paramref name="audit"/>'s time and appends it, atomically; <c>false</c>, and
    /// nothing written, when it was used already (two requests with one code: one wins) or is not this user's.
    /// </summary>
    Task<bool> UseRecoveryCodeAsync(long id, long codeId, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Starts a user's grace period at <paramref name="at"/> unless it started already; <c>false</c> then.</summary>
    Task<bool> StartTwoFactorGraceAsync(long id, DateTimeOffset at, CancellationToken cancellationToken);
}

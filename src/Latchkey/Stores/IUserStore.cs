using Latchkey.Auditing;
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
}

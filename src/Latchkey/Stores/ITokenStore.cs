using Latchkey.Auditing;
using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>
/// Plain persistence of tokens. A store holds no business rules: every decision is made by
/// <see cref="TokenManager"/> and handed in as data (see <see cref="InsertConstraints"/>, <see cref="UpdateConstraints"/>). Every write is one
/// transaction that also appends its audit entry, so a token and its audit record exist together or not at all.
/// </summary>
public interface ITokenStore
{
    /// <summary>The token with this hash, with its owner, or <c>null</c>. The cold path of every request.</summary>
    Task<StoredToken?> FindByHashAsync(TokenHash hash, CancellationToken cancellationToken);

    Task<PersonalAccessToken?> FindAsync(long id, CancellationToken cancellationToken);

    Task<PersonalAccessToken?> FindByPublicIdAsync(string publicId, CancellationToken cancellationToken);

    Task<Page<PersonalAccessToken>> QueryAsync(TokenQuery query, CancellationToken cancellationToken);

    /// <summary>The same page as <see cref="QueryAsync"/>, each token with its owner (for administrators' lists across users).</summary>
    Task<Page<OwnedToken>> QueryWithOwnersAsync(TokenQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a token if <paramref name="constraints"/> still hold for its owner, atomically. A derived token is
    /// stored revoked if its parent is, and never with an expiry later than its parent's.
    /// </summary>
    Task<InsertOutcome> InsertAsync(NewToken token, InsertConstraints constraints, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Applies changes to a token that is not revoked if <paramref name="constraints"/> still hold for its owner,
    /// atomically. <see cref="UpdateOutcome.Token"/> is <c>null</c> when there is no such token or a constraint refused.
    /// A new expiry also becomes that of every unrevoked token derived from it (<see cref="PersonalAccessToken.ParentId"/>)
    /// that would outlive it, and new scopes become theirs, in the same transaction; <see cref="UpdateOutcome.CappedIds"/>
    /// says which.
    /// </summary>
    Task<UpdateOutcome> UpdateAsync(long id, TokenChanges changes, UpdateConstraints constraints, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes the token and every active token derived from it (<see cref="PersonalAccessToken.ParentId"/>).
    /// Returns the ids it revoked: empty when the token was already revoked or does not exist.
    /// </summary>
    Task<IReadOnlyList<long>> RevokeAsync(long id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Revokes every active token of a rotation family and what derives from them; returns the ids it revoked.</summary>
    Task<IReadOnlyList<long>> RevokeFamilyAsync(long familyId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Revokes every active token of a user (for example, all sessions on sign-out everywhere) of one kind.</summary>
    Task<IReadOnlyList<long>> RevokeAllAsync(long userId, TokenKind kind, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically marks <paramref name="id"/> revoked-by-rotation (a compare-and-set: only if it is still
    /// unrevoked), records whether it <paramref name="rotatedItself"/>, revokes what derives from it, and inserts
    /// <paramref name="replacement"/> into the same family with <see cref="PersonalAccessToken.PreviousId"/> =
    /// <paramref name="id"/>. Of concurrent calls exactly one succeeds; the others get
    /// <see cref="RotateOutcome.LostRace"/> and write nothing.
    /// </summary>
    Task<RotateOutcome> RotateAsync(long id, NewToken replacement, bool rotatedItself, AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>Writes a batch of last-used records (no audit: usage is not an event).</summary>
    Task RecordUsageAsync(IReadOnlyCollection<TokenUsage> usage, CancellationToken cancellationToken);

    /// <summary>Deletes tokens that expired or were revoked before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

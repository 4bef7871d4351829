using System.Data.Common;
using Latchkey.Changes;

namespace Latchkey.Storage;

/// <summary>
/// Where the SQL stores differ, for the code they share (<see cref="SqlUserStore"/>, <see cref="SqlAuditStore"/>,
/// <see cref="TokenQuerySql"/>, <see cref="AuditQuerySql"/>, <see cref="Paging"/>): how a write transaction and a read
/// snapshot begin, how a change reaches the other processes, and the few SQL fragments that compare usernames and token names without regard to
/// case exactly as SQLite's <c>COLLATE NOCASE</c> does (A-Z folded to a-z, nothing else).
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>A condition on <c>users</c>: the username equals <paramref name="parameter"/> without regard to case.</summary>
    public abstract string UsernameMatches(string parameter);

    /// <summary>The <c>ON CONFLICT</c> target that makes a second user with the same username (in any case) a conflict.</summary>
    public abstract string UsernameConflictTarget { get; }

    /// <summary>
    /// A condition on <c>tokens</c>: the name contains <paramref name="parameter"/>, which holds the search text as
    /// <see cref="TokenQuerySql.Fold"/> folds it; matched literally (no LIKE wildcards to escape).
    /// </summary>
    public abstract string NameContains(string parameter);

    /// <summary>The expression token names are sorted by.</summary>
    public abstract string NameSortKey { get; }

    /// <summary>A transaction for a write and everything that commits with it.</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A transaction in which several reads see the same data (a total and its page).</summary>
    public abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="change"/> in the write's transaction, for the other processes' caches.</summary>
    public abstract Task AppendChangeAsync(DbConnection connection, DbTransaction transaction, TokenChange change, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Called in a write that must leave an active administrator, before it changes anything: makes such writes take
    /// turns where the database would otherwise let two of them each see the other's administrator still there.
    /// </summary>
    public virtual Task SerializeAdministratorChecksAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        => Task.CompletedTask;
}

namespace Latchkey.Storage;

/// <summary>
/// The few SQL fragments in which the stores' shared queries (<see cref="TokenQuerySql"/>, <see cref="AuditQuerySql"/>)
/// differ between SQLite and PostgreSQL: how a username is compared and how token names are searched and sorted, each
/// without regard to case exactly as SQLite's <c>COLLATE NOCASE</c> does (A-Z folded to a-z, nothing else).
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>A condition on <c>users</c>: the username equals <paramref name="parameter"/> without regard to case.</summary>
    public abstract string UsernameMatches(string parameter);

    /// <summary>
    /// A condition on <c>tokens</c>: the name contains <paramref name="parameter"/>, which holds the search text as
    /// <see cref="TokenQuerySql.Fold"/> folds it; matched literally (no LIKE wildcards to escape).
    /// </summary>
    public abstract string NameContains(string parameter);

    /// <summary>The expression token names are sorted by.</summary>
    public abstract string NameSortKey { get; }
}

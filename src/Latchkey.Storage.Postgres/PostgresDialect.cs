namespace Latchkey.Storage.Postgres;

/// <summary>
/// PostgreSQL's fragments of the shared queries, comparing as SQLite's <c>COLLATE NOCASE</c> does whatever the
/// database's locale: usernames through <see cref="UsernameSql"/>, names through the <c>name_fold</c> column the
/// store fills with <see cref="TokenQuerySql.Fold"/> and <c>lower()</c> under the "C" collation.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override string UsernameMatches(string parameter) => UsernameSql.Matches(parameter);

    // strpos, not LIKE: the text is matched literally.
    public override string NameContains(string parameter) => $"strpos(name_fold, {parameter}) > 0";

    // SQLite's COLLATE NOCASE: A-Z folded to a-z, then byte order.
    public override string NameSortKey => "lower(name COLLATE \"C\")";
}

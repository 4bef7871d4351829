using Latchkey.Stores;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite;

/// <summary>SQLite's fragments of the shared queries: usernames and names compare with <c>COLLATE NOCASE</c>.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    private const string FoldFunction = "latchkey_fold";

    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    // The username column is COLLATE NOCASE.
    public override string UsernameMatches(string parameter) => $"username = {parameter}";

    // instr, not LIKE, over the name folded by TokenQuerySql.Fold (registered on the connection by Prepare): SQLite's
    // own case-insensitivity (LIKE, NOCASE) covers ASCII only; names are not only ASCII.
    public override string NameContains(string parameter) => $"instr({FoldFunction}(name), {parameter}) > 0";

    public override string NameSortKey => "name COLLATE NOCASE";

    /// <summary>Readies <paramref name="connection"/> to run <paramref name="query"/>: a name search needs the case-folding function on it.</summary>
    public static void Prepare(SqliteConnection connection, TokenQuery query)
    {
        if (query.Search is not null)
        {
            connection.CreateFunction<string?, string?>(FoldFunction, value => value is null ? null : TokenQuerySql.Fold(value), isDeterministic: true);
        }
    }
}

using System.Data.Common;
using Latchkey.Changes;
using Latchkey.Stores;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite;

/// <summary>
/// SQLite's side of the shared store code: writes in <c>BEGIN IMMEDIATE</c> transactions (one writer at a time, so
/// every check inside sees the last commit), snapshots as deferred transactions (a read snapshot in WAL mode), changes
/// as <c>token_changes</c> rows (<see cref="SqliteTokenChangeFeed"/>), usernames and names with <c>COLLATE NOCASE</c>.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private const string FoldFunction = "latchkey_fold";

    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    // The username column is COLLATE NOCASE.
    public override string UsernameMatches(string parameter) => $"username = {parameter}";

    public override string UsernameConflictTarget => "(username)";

    // instr, not LIKE, over the name folded by TokenQuerySql.Fold (registered on the connection by Prepare): SQLite's
    // own case-insensitivity (LIKE, NOCASE) covers ASCII only; names are not only ASCII.
    public override string NameContains(string parameter) => $"instr({FoldFunction}(name), {parameter}) > 0";

    public override string NameSortKey => "name COLLATE NOCASE";

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        => ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
        => ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override Task AppendChangeAsync(DbConnection connection, DbTransaction transaction, TokenChange change, DateTimeOffset at, CancellationToken cancellationToken)
        => TokenChangeLog.AppendAsync((SqliteConnection)connection, (SqliteTransaction)transaction, change, at, cancellationToken);

    /// <summary>Readies <paramref name="connection"/> to run <paramref name="query"/>: a name search needs the case-folding function on it.</summary>
    public static void Prepare(SqliteConnection connection, TokenQuery query)
    {
        if (query.Search is not null)
        {
            connection.CreateFunction<string?, string?>(FoldFunction, value => value is null ? null : TokenQuerySql.Fold(value), isDeterministic: true);
        }
    }
}

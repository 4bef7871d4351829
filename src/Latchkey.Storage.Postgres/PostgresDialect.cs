using System.Data;
using System.Data.Common;
using Dapper;
using Latchkey.Changes;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// PostgreSQL's side of the shared store code: writes at the default READ COMMITTED, snapshots at REPEATABLE READ,
/// changes as <c>token_changes</c> rows, and comparisons as SQLite's <c>COLLATE NOCASE</c> makes them whatever the
/// database's locale: usernames through <see cref="UsernameSql"/>, names through the <c>name_fold</c> column the store
/// fills with <see cref="TokenQuerySql.Fold"/> and <c>lower()</c> under the "C" collation.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    // "Keep an active administrator" reads other users' rows, which no row lock covers: two nodes demoting the last
    // two administrators at once would each still see the other. Such writes take this transaction-scoped lock
    // first, so they take turns, and each one's check (a statement after the lock) sees what the other committed.
    private const string AdministratorsLockSql = "SELECT pg_advisory_xact_lock(7363544263093815621)";

    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override string UsernameMatches(string parameter) => UsernameSql.Matches(parameter);

    // The case-folding unique index; a concurrent insert of the same name waits for the first to commit.
    public override string UsernameConflictTarget => $"(({UsernameSql.Folded}))";

    // strpos, not LIKE: the text is matched literally.
    public override string NameContains(string parameter) => $"strpos(name_fold, {parameter}) > 0";

    // SQLite's COLLATE NOCASE: A-Z folded to a-z, then byte order.
    public override string NameSortKey => "lower(name COLLATE \"C\")";

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        => connection.BeginTransactionAsync(cancellationToken);

    // Under the default READ COMMITTED each statement would see its own snapshot; the total and its page must agree.
    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
        => connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    public override Task AppendChangeAsync(DbConnection connection, DbTransaction transaction, TokenChange change, DateTimeOffset at, CancellationToken cancellationToken)
        => TokenChangeLog.AppendAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, change, at, cancellationToken);

    public override async Task SerializeAdministratorChecksAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        => await connection.ExecuteAsync(new CommandDefinition(AdministratorsLockSql, transaction: transaction, cancellationToken: cancellationToken));
}

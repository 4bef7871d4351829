using System.Data.Common;
using Dapper;
using Latchkey.Stores;

namespace Latchkey.Storage;

/// <summary>
/// The <c>hashing_keys</c> table and the key ids tokens and recovery codes name, in a SQL store (each store derives
/// its own). The first record of an id stands: a second node recording the same id changes nothing, and the engine
/// reads the record back to compare.
/// </summary>
internal abstract class SqlHashingKeyStore : IHashingKeyStore
{
    // Tokens that can still authenticate and codes that can still be used; what is revoked, expired or used needs no key.
    private const string InUseSql = """
        SELECT key_id FROM tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @Now)
        UNION
        SELECT key_id FROM recovery_codes WHERE used_at IS NULL
        """;

    private const string ListSql = "SELECT key_id AS KeyId, check_value AS CheckValue, first_used_at AS FirstUsedAt FROM hashing_keys ORDER BY key_id";

    private const string RecordSql = """
        INSERT INTO hashing_keys (key_id, check_value, first_used_at) VALUES (@KeyId, @CheckValue, @FirstUsedAt)
        ON CONFLICT (key_id) DO NOTHING
        """;

    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly SqlDialect _dialect;

    /// <param name="open">Opens a connection to the store's database.</param>
    /// <param name="dialect">The store's SQL dialect.</param>
    protected SqlHashingKeyStore(Func<CancellationToken, Task<DbConnection>> open, SqlDialect dialect)
    {
        _open = open;
        _dialect = dialect;
    }

    public async Task<IReadOnlyList<RecordedHashingKey>> ListRecordedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        var rows = await connection.QueryAsync<(string KeyId, string CheckValue, long FirstUsedAt)>(new CommandDefinition(ListSql, cancellationToken: cancellationToken));
        return [.. rows.Select(row => new RecordedHashingKey(row.KeyId, row.CheckValue, UnixTime.FromStore(row.FirstUsedAt)))];
    }

    public async Task<IReadOnlyList<string>> ListKeyIdsInUseAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(InUseSql, new { Now = UnixTime.ToStore(now) }, cancellationToken: cancellationToken))];
    }

    public async Task RecordAsync(IReadOnlyList<RecordedHashingKey> keys, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        foreach (var key in keys)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                RecordSql,
                new { key.KeyId, key.CheckValue, FirstUsedAt = UnixTime.ToStore(key.FirstUsedAt) },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }
}

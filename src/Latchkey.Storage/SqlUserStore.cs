using System.Data.Common;
using Dapper;
using Latchkey.Auditing;
using Latchkey.Changes;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Storage;

/// <summary>
/// Users in a SQL store (each store derives its own, naming its connections and <see cref="SqlDialect"/>). Usernames
/// are unique and looked up without regard to case. Every write runs in one write transaction with its audit entry
/// and, for changes, the change for other processes' caches; deleting a user deletes their tokens by the foreign key's
/// cascade. Conditional writes (a password, a pending second factor, a time step) compare and set in the UPDATE's
/// WHERE, which both databases re-check against the latest commit.
/// </summary>
internal abstract class SqlUserStore : IUserStore
{
    private const string Columns = "id, username, email, name, password_hash, is_admin, state, created_at, two_factor_enabled_at, two_factor_grace_from";


    // CASE rather than COALESCE for name and email: null is a value they can be set to.
    private const string UpdateSql = $"""
        UPDATE users SET
            name = CASE WHEN @NameChanged THEN @Name ELSE name END,
            email = CASE WHEN @EmailChanged THEN @Email ELSE email END,
            is_admin = COALESCE(@IsAdmin, is_admin),
            state = COALESCE(@State, state),
            password_hash = COALESCE(@PasswordHash, password_hash)
        WHERE id = @Id
        RETURNING {Columns}
        """;

    private const string EndSessionsSql = """
        UPDATE tokens SET revoked_at = @At
        WHERE user_id = @Id AND kind = @Session AND revoked_at IS NULL AND (@Keep IS NULL OR id <> @Keep)
        RETURNING id
        """;

    private const string AnActiveAdministratorSql = $"SELECT EXISTS (SELECT 1 FROM users WHERE is_admin AND state = '{UserStates.Active}')";

    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly SqlDialect _dialect;

    // DO NOTHING rather than catching a constraint violation: a taken name is an answer, not an error.
    private readonly string _insertSql;

    /// <param name="open">Opens a connection to the store's database.</param>
    /// <param name="dialect">The store's SQL dialect.</param>
    protected SqlUserStore(Func<CancellationToken, Task<DbConnection>> open, SqlDialect dialect)
    {
        _open = open;
        _dialect = dialect;
        _insertSql = $"""
            INSERT INTO users (username, email, name, password_hash, is_admin, state, created_at)
            VALUES (@Username, @Email, @Name, @PasswordHash, @IsAdmin, @State, @CreatedAt)
            ON CONFLICT {dialect.UsernameConflictTarget} DO NOTHING
            RETURNING {Columns}
            """;
    }

    public async Task<User?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        return await ReadOneAsync(connection, null, $"SELECT {Columns} FROM users WHERE id = @Id", new { Id = id }, cancellationToken);
    }

    public async Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        return await ReadOneAsync(connection, null, $"SELECT {Columns} FROM users WHERE {_dialect.UsernameMatches("@Username")}", new { Username = username }, cancellationToken);
    }

    public async Task<User?> CreateAsync(NewUser user, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        var parameters = new
        {
            user.Username,
            user.Email,
            user.Name,
            user.PasswordHash,
            user.IsAdmin,
            State = UserStates.Active,
            CreatedAt = UnixTime.ToStore(user.CreatedAt),
        };
        var created = await ReadOneAsync(connection, transaction, _insertSql, parameters, cancellationToken);

        if (created is not null && user.Audit is { } audit)
        {
            await AuditLog.AppendAsync(connection, transaction, audit with { SubjectUserId = created.Id }, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public async Task<Page<User>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        return await Paging.ReadAsync(
            connection, _dialect, "SELECT COUNT(*) FROM users", $"SELECT {Columns} FROM users ORDER BY id", null, page, perPage, Read, cancellationToken);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: cancellationToken));
    }

    public async Task<bool> SetPasswordHashAsync(long id, string expectedHash, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @PasswordHash WHERE id = @Id AND password_hash = @ExpectedHash",
            new { Id = id, ExpectedHash = expectedHash, PasswordHash = passwordHash },
            cancellationToken: cancellationToken));
        return changed == 1;
    }

    public async Task<UserWriteOutcome> UpdateAsync(long id, UserChanges changes, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        var parameters = new
        {
            Id = id,
            changes.Name,
            changes.NameChanged,
            changes.Email,
            changes.EmailChanged,
            changes.IsAdmin,
            changes.State,
            changes.PasswordHash,
        };
        if (changes.KeepAnActiveAdministrator)
        {
            await _dialect.SerializeAdministratorChecksAsync(connection, transaction, cancellationToken);
        }

        var updated = await ReadOneAsync(connection, transaction, UpdateSql, parameters, cancellationToken);
        if (updated is null)
        {
            return UserWriteOutcome.Refused(UserWriteRefusal.NotFound);
        }

        if (changes.KeepAnActiveAdministrator && !await HasActiveAdministratorAsync(connection, transaction, cancellationToken))
        {
            return UserWriteOutcome.Refused(UserWriteRefusal.LastAdministrator); // rolled back on dispose
        }

        IReadOnlyList<long> ended = [];
        if (changes.EndSessions)
        {
            ended = [.. await connection.QueryAsync<long>(new CommandDefinition(
                EndSessionsSql,
                new { Id = id, Session = (int)TokenKind.Session, Keep = changes.KeepSessionId, At = UnixTime.ToStore(audit.At) },
                transaction,
                cancellationToken: cancellationToken))];
        }

        await _dialect.AppendChangeAsync(connection, transaction, TokenChange.User(id), audit.At, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UserWriteOutcome(updated) { EndedSessionIds = ended };
    }

    public async Task<UserWriteOutcome> DeleteAsync(long id, bool keepAnActiveAdministrator, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        if (keepAnActiveAdministrator)
        {
            await _dialect.SerializeAdministratorChecksAsync(connection, transaction, cancellationToken);
        }

        var deleted = await ReadOneAsync(connection, transaction, $"DELETE FROM users WHERE id = @Id RETURNING {Columns}", new { Id = id }, cancellationToken);
        if (deleted is null)
        {
            return UserWriteOutcome.Refused(UserWriteRefusal.NotFound);
        }

        if (keepAnActiveAdministrator && !await HasActiveAdministratorAsync(connection, transaction, cancellationToken))
        {
            return UserWriteOutcome.Refused(UserWriteRefusal.LastAdministrator);
        }

        await _dialect.AppendChangeAsync(connection, transaction, TokenChange.User(id), audit.At, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UserWriteOutcome(deleted);
    }

    public async Task<TwoFactorSecrets?> GetTwoFactorAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            "SELECT two_factor_secret, two_factor_pending_secret, two_factor_last_step FROM users WHERE id = @Id",
            new { Id = id },
            cancellationToken: cancellationToken));
        return await reader.ReadAsync(cancellationToken)
            ? new TwoFactorSecrets(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2))
            : null;
    }

    public async Task<bool> SetPendingTwoFactorAsync(long id, string pendingSecret, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET two_factor_pending_secret = @Pending WHERE id = @Id AND two_factor_enabled_at IS NULL",
            new { Id = id, Pending = pendingSecret },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<UserWriteOutcome> EnableTwoFactorAsync(long id, string expectedPendingSecret, long step, IReadOnlyList<(string KeyId, TokenHash Hash)> recoveryCodes, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        var updated = await ReadOneAsync(connection, transaction, $"""
            UPDATE users SET two_factor_secret = two_factor_pending_secret, two_factor_pending_secret = NULL,
                two_factor_enabled_at = @At, two_factor_last_step = @Step
            WHERE id = @Id AND two_factor_enabled_at IS NULL AND two_factor_pending_secret = @Expected
            RETURNING {Columns}
            """, new { Id = id, At = UnixTime.ToStore(audit.At), Step = step, Expected = expectedPendingSecret }, cancellationToken);
        return updated is null
            ? await RefusalAsync(connection, transaction, id, cancellationToken)
            : await CommitWithRecoveryCodesAsync(connection, transaction, updated, recoveryCodes, audit, cancellationToken);
    }

    public async Task<UserWriteOutcome> DisableTwoFactorAsync(long id, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        var updated = await ReadOneAsync(connection, transaction, $"""
            UPDATE users SET two_factor_secret = NULL, two_factor_pending_secret = NULL, two_factor_enabled_at = NULL, two_factor_last_step = NULL
            WHERE id = @Id
            RETURNING {Columns}
            """, new { Id = id }, cancellationToken);
        return updated is null
            ? UserWriteOutcome.Refused(UserWriteRefusal.NotFound)
            : await CommitWithRecoveryCodesAsync(connection, transaction, updated, [], audit, cancellationToken);
    }

    public async Task<UserWriteOutcome> ReplaceRecoveryCodesAsync(long id, IReadOnlyList<(string KeyId, TokenHash Hash)> recoveryCodes, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        var user = await ReadOneAsync(connection, transaction, $"SELECT {Columns} FROM users WHERE id = @Id AND two_factor_enabled_at IS NOT NULL", new { Id = id }, cancellationToken);
        return user is null
            ? await RefusalAsync(connection, transaction, id, cancellationToken)
            : await CommitWithRecoveryCodesAsync(connection, transaction, user, recoveryCodes, audit, cancellationToken);
    }

    public async Task<bool> AdvanceTwoFactorStepAsync(long id, long step, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE users SET two_factor_last_step = @Step
            WHERE id = @Id AND two_factor_enabled_at IS NOT NULL AND (two_factor_last_step IS NULL OR two_factor_last_step < @Step)
            """,
            new { Id = id, Step = step },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<IReadOnlyList<RecoveryCode>> ListRecoveryCodesAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            "SELECT id, key_id, code_hash, used_at FROM recovery_codes WHERE user_id = @Id ORDER BY id",
            new { Id = id },
            cancellationToken: cancellationToken));
        var codes = new List<RecoveryCode>();
        while (await reader.ReadAsync(cancellationToken))
        {
            codes.Add(new RecoveryCode(
                reader.GetInt64(0),
                reader.GetString(1),
                new TokenHash((byte[])reader.GetValue(2)),
                reader.IsDBNull(3) ? null : UnixTime.FromStore(reader.GetInt64(3))));
        }

        return codes;
    }

    public async Task<bool> UseRecoveryCodeAsync(long id, long codeId, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        var used = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE recovery_codes SET used_at = @At WHERE id = @CodeId AND user_id = @Id AND used_at IS NULL",
            new { Id = id, CodeId = codeId, At = UnixTime.ToStore(audit.At) },
            transaction,
            cancellationToken: cancellationToken));
        if (used != 1)
        {
            return false;
        }

        await AuditLog.AppendAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> StartTwoFactorGraceAsync(long id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET two_factor_grace_from = @At WHERE id = @Id AND two_factor_grace_from IS NULL",
            new { Id = id, At = UnixTime.ToStore(at) },
            cancellationToken: cancellationToken)) == 1;
    }

    // The end of every two-factor write: the user's recovery codes become exactly these, and the audit entry commits with them.
    private static async Task<UserWriteOutcome> CommitWithRecoveryCodesAsync(DbConnection connection, DbTransaction transaction, User user, IReadOnlyList<(string KeyId, TokenHash Hash)> codes, AuditEntry audit, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM recovery_codes WHERE user_id = @Id", new { user.Id }, transaction, cancellationToken: cancellationToken));
        foreach (var (keyId, hash) in codes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO recovery_codes (user_id, key_id, code_hash) VALUES (@Id, @KeyId, @Hash)",
                new { user.Id, KeyId = keyId, Hash = hash.ToArray() },
                transaction,
                cancellationToken: cancellationToken));
        }

        await AuditLog.AppendAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UserWriteOutcome(user);
    }

    // Nothing was written: the user is gone, or their two-factor state is not what the write expected.
    private static async Task<UserWriteOutcome> RefusalAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken)
        => await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM users WHERE id = @Id)", new { Id = id }, transaction, cancellationToken: cancellationToken))
            ? UserWriteOutcome.Refused(UserWriteRefusal.TwoFactorChanged)
            : UserWriteOutcome.Refused(UserWriteRefusal.NotFound);

    private static Task<bool> HasActiveAdministratorAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        => connection.ExecuteScalarAsync<bool>(new CommandDefinition(AnActiveAdministratorSql, transaction: transaction, cancellationToken: cancellationToken));

    private static async Task<User?> ReadOneAsync(DbConnection connection, DbTransaction? transaction, string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static User Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Username = reader.GetString(1),
        Email = reader.IsDBNull(2) ? null : reader.GetString(2),
        Name = reader.IsDBNull(3) ? null : reader.GetString(3),
        PasswordHash = reader.GetString(4),
        IsAdmin = reader.GetBoolean(5),
        State = reader.GetString(6),
        CreatedAt = UnixTime.FromStore(reader.GetInt64(7)),
        TwoFactorEnabledAt = reader.IsDBNull(8) ? null : UnixTime.FromStore(reader.GetInt64(8)),
        TwoFactorGraceFrom = reader.IsDBNull(9) ? null : UnixTime.FromStore(reader.GetInt64(9)),
    };
}

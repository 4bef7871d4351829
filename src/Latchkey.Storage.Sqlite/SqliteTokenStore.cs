using Dapper;
using Latchkey.Auditing;
using Latchkey.Changes;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.Data.Sqlite;

namespace Latchkey.Storage.Sqlite;

/// <summary>
/// Tokens in SQLite. Every write runs in a <c>BEGIN IMMEDIATE</c> transaction: it takes the write lock before
/// reading, so a check (a cap, "still unrevoked") and the write that depends on it cannot interleave with another
/// writer, and a reader never has to upgrade its lock (which SQLite answers with SQLITE_BUSY, not a wait). A write
/// that changes how tokens authenticate also records them in <c>token_changes</c> in its transaction, for the other
/// processes' caches (<see cref="SqliteTokenChangeFeed"/>).
/// </summary>
internal sealed class SqliteTokenStore : ITokenStore
{
    private static readonly string FindByHashSql = $"""
        SELECT {TokenRow.QualifiedColumns}, t.token_hash, u.username, u.is_admin, u.state
        FROM tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = @Hash
        """;

    private static readonly string FindByIdSql = $"SELECT {TokenRow.Columns} FROM tokens WHERE id = @Id";

    private static readonly string FindUnrevokedByIdSql = $"SELECT {TokenRow.Columns} FROM tokens WHERE id = @Id AND revoked_at IS NULL";

    private static readonly string FindByPublicIdSql = $"SELECT {TokenRow.Columns} FROM tokens WHERE public_id = @PublicId";

    // One pass over the owner's personal tokens answers both constraints.
    private const string ActivePersonalSql = """
        SELECT COUNT(*), COALESCE(SUM(name = @Name), 0)
        FROM tokens
        WHERE user_id = @UserId AND kind = @Personal AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @Now)
        """;

    // Another of the owner's active personal tokens holds the name this token is being renamed to. Keeping its own
    // name is no conflict, even when an older token shares it from before names had to be unique.
    private const string RenameConflictSql = """
        SELECT EXISTS (
            SELECT 1
            FROM tokens target JOIN tokens other ON other.user_id = target.user_id
            WHERE target.id = @Id AND target.revoked_at IS NULL AND target.name <> @Name
              AND other.id <> target.id AND other.kind = @Personal AND other.name = @Name
              AND other.revoked_at IS NULL AND (other.expires_at IS NULL OR other.expires_at > @Now))
        """;

    // A derived token never outlives its parent, and the validator does not look at the parent: when a token's expiry
    // is brought forward, what derives from it (at any depth, still unrevoked) and would outlive it gets the same.
    private const string CapDerivedSql = """
        WITH RECURSIVE derived (id) AS (
            SELECT id FROM tokens WHERE parent_id = @Id
            UNION
            SELECT t.id FROM tokens t JOIN derived d ON t.parent_id = d.id
        )
        UPDATE tokens SET expires_at = @ExpiresAt
        WHERE id IN (SELECT id FROM derived) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @ExpiresAt)
        RETURNING id
        """;

    // Access tokens carry their parent's scopes (ExchangeAsync copies them); a narrowed parent narrows them too.
    private const string NarrowDerivedSql = """
        WITH RECURSIVE derived (id) AS (
            SELECT id FROM tokens WHERE parent_id = @Id
            UNION
            SELECT t.id FROM tokens t JOIN derived d ON t.parent_id = d.id
        )
        UPDATE tokens SET scopes = @Scopes
        WHERE id IN (SELECT id FROM derived) AND revoked_at IS NULL AND scopes <> @Scopes
        RETURNING id
        """;

    private const string InsertSql = """
        INSERT INTO tokens (public_id, user_id, kind, name, description, scopes, token_hash, key_id, created_at,
                            expires_at, revoked_at, family_id, previous_id, parent_id, origin, attributes)
        VALUES (@PublicId, @UserId, @Kind, @Name, @Description, @Scopes, @Hash, @KeyId, @CreatedAt,
                @ExpiresAt, @RevokedAt, @FamilyId, @PreviousId, @ParentId, @Origin, @Attributes)
        RETURNING id
        """;

    private const string RevokeOneSql = "UPDATE tokens SET revoked_at = @At WHERE id = @Id AND revoked_at IS NULL";

    private const string RevokeForRotationSql = """
        UPDATE tokens SET revoked_at = @At, rotated = 1, rotated_itself = @RotatedItself
        WHERE id = @Id AND revoked_at IS NULL
        RETURNING family_id
        """;

    private const string PruneSql = "DELETE FROM tokens WHERE revoked_at < @Cutoff OR expires_at < @Cutoff";

    // Batches from several processes on one file merge as on PostgreSQL: the newest time wins (an older batch changes
    // nothing), and the addresses are the newer batch's followed by those already stored, without repeats, keeping
    // the newest few.
    private const string RecordUsageSql = """
        UPDATE tokens SET
            last_used_at = @LastUsedAt,
            last_used_ips = (
                SELECT json_group_array(ip ORDER BY rank)
                FROM (
                    SELECT value AS ip, MIN(rank) AS rank
                    FROM (
                        SELECT value, key AS rank FROM json_each(@LastUsedIps)
                        UNION ALL
                        SELECT value, 1000000 + key FROM json_each(tokens.last_used_ips)
                    )
                    GROUP BY value
                    ORDER BY MIN(rank)
                    LIMIT max(json_array_length(@LastUsedIps), @KeptIps)
                ))
        WHERE id = @TokenId AND (last_used_at IS NULL OR last_used_at <= @LastUsedAt)
        """;

    /// <summary>How many addresses a merge keeps at least (the engine's default; a batch with more keeps all of its own).</summary>
    private const int KeptIps = 5;

    private readonly SqliteConnectionFactory _connections;

    public SqliteTokenStore(SqliteConnectionFactory connections)
    {
        _connections = connections;
    }

    public async Task<StoredToken?> FindByHashAsync(TokenHash hash, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(
            new CommandDefinition(FindByHashSql, new { Hash = hash.ToArray() }, cancellationToken: cancellationToken));
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var token = TokenRow.Read(reader);
        var column = TokenRow.Next;
        var storedHash = new TokenHash(reader.GetFieldValue<byte[]>(column));
        var owner = new TokenOwner(
            token.UserId,
            reader.GetString(column + 1),
            reader.GetInt64(column + 2) != 0,
            reader.GetString(column + 3) == UserStates.Active);
        return new StoredToken(token, storedHash, owner);
    }

    public async Task<PersonalAccessToken?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await ReadOneAsync(connection, null, FindByIdSql, new { Id = id }, cancellationToken);
    }

    public async Task<PersonalAccessToken?> FindByPublicIdAsync(string publicId, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await ReadOneAsync(connection, null, FindByPublicIdSql, new { PublicId = publicId }, cancellationToken);
    }

    public async Task<Page<PersonalAccessToken>> QueryAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        var sql = new TokenQuerySql(query, SqliteDialect.Instance);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        SqliteDialect.Prepare(connection, query);

        return await Paging.ReadAsync(
            connection, SqliteDialect.Instance, sql.CountSql, sql.PageSql, sql.Parameters, query.Page, query.PerPage, TokenRow.Read, cancellationToken);
    }

    public async Task<Page<OwnedToken>> QueryWithOwnersAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        var sql = new TokenQuerySql(query, SqliteDialect.Instance);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        SqliteDialect.Prepare(connection, query);

        return await Paging.ReadAsync(
            connection,
            SqliteDialect.Instance,
            sql.CountSql,
            sql.PageWithOwnersSql,
            sql.Parameters,
            query.Page,
            query.PerPage,
            reader =>
            {
                var token = TokenRow.Read(reader);
                var column = TokenRow.Next;
                return new OwnedToken(token, new TokenOwner(token.UserId, reader.GetString(column), reader.GetInt64(column + 1) != 0, reader.GetString(column + 2) == UserStates.Active));
            },
            cancellationToken);
    }

    public async Task<InsertOutcome> InsertAsync(NewToken token, InsertConstraints constraints, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (token.Kind == TokenKind.Personal)
        {
            var refusal = await CheckAsync(connection, transaction, token, constraints, cancellationToken);
            if (refusal != InsertRefusal.None)
            {
                return InsertOutcome.Refused(refusal);
            }
        }

        var stored = await InsertRowAsync(connection, transaction, token, familyId: null, previousId: null, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, audit with { TokenId = audit.TokenId ?? stored.Id }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new InsertOutcome(stored);
    }

    public async Task<UpdateOutcome> UpdateAsync(long id, TokenChanges changes, UpdateConstraints constraints, AuditEntry audit, CancellationToken cancellationToken)
    {
        var assignments = new List<string>();
        var parameters = new DynamicParameters(new { Id = id });
        if (changes.Name is not null)
        {
            assignments.Add("name = @Name");
            parameters.Add("Name", changes.Name);
        }

        if (changes.DescriptionChanged)
        {
            assignments.Add("description = @Description");
            parameters.Add("Description", changes.Description);
        }

        if (changes.Scopes is not null)
        {
            assignments.Add("scopes = @Scopes");
            parameters.Add("Scopes", StoreJson.WriteList(changes.Scopes));
        }

        if (changes.ExpiresAtChanged)
        {
            assignments.Add("expires_at = @ExpiresAt");
            parameters.Add("ExpiresAt", UnixTime.ToStore(changes.ExpiresAt));
        }

        if (changes.Attributes is not null)
        {
            assignments.Add("attributes = @Attributes");
            parameters.Add("Attributes", StoreJson.WriteMap(changes.Attributes));
        }

        await using var connection = await _connections.OpenAsync(cancellationToken);
        if (assignments.Count == 0)
        {
            // Nothing to write, so nothing to audit.
            return new UpdateOutcome(await ReadOneAsync(connection, null, FindUnrevokedByIdSql, new { Id = id }, cancellationToken));
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        if (changes.Name is not null && constraints.UniqueActiveName)
        {
            var taken = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                RenameConflictSql,
                new { Id = id, changes.Name, Personal = (int)TokenKind.Personal, Now = UnixTime.ToStore(constraints.Now) },
                transaction,
                cancellationToken: cancellationToken));
            if (taken)
            {
                return UpdateOutcome.Refused(UpdateRefusal.NameTaken);
            }
        }

        var sql = $"UPDATE tokens SET {string.Join(", ", assignments)} WHERE id = @Id AND revoked_at IS NULL RETURNING {TokenRow.Columns}";
        var updated = await ReadOneAsync(connection, transaction, sql, parameters, cancellationToken);
        if (updated is null)
        {
            return UpdateOutcome.NotFound;
        }

        var capped = new SortedSet<long>();
        if (changes.ExpiresAtChanged && updated.ExpiresAt is { } expiresAt)
        {
            capped.UnionWith(await connection.QueryAsync<long>(new CommandDefinition(
                CapDerivedSql, new { Id = id, ExpiresAt = UnixTime.ToStore(expiresAt) }, transaction, cancellationToken: cancellationToken)));
        }

        if (changes.Scopes is not null)
        {
            capped.UnionWith(await connection.QueryAsync<long>(new CommandDefinition(
                NarrowDerivedSql, new { Id = id, Scopes = StoreJson.WriteList(changes.Scopes) }, transaction, cancellationToken: cancellationToken)));
        }

        await TokenChangeLog.AppendAsync(connection, transaction, TokenChange.Tokens(capped.Prepend(id)), audit.At, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UpdateOutcome(updated) { CappedIds = [.. capped] };
    }

    public async Task<IReadOnlyList<long>> RevokeAsync(long id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var parameters = new { Id = id, At = UnixTime.ToStore(at) };
        var changed = await connection.ExecuteAsync(
            new CommandDefinition(RevokeOneSql, parameters, transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return [];
        }

        var derived = await RevokeDescendantsAsync(connection, transaction, "SELECT @Id", parameters, cancellationToken);
        IReadOnlyList<long> revoked = [id, .. derived];
        await TokenChangeLog.AppendAsync(connection, transaction, TokenChange.Tokens(revoked), at, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return revoked;
    }

    public Task<IReadOnlyList<long>> RevokeFamilyAsync(long familyId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
        => RevokeManyAsync(
            "SELECT id FROM tokens WHERE family_id = @FamilyId",
            new { FamilyId = familyId, At = UnixTime.ToStore(at) },
            audit,
            cancellationToken);

    public Task<IReadOnlyList<long>> RevokeAllAsync(long userId, TokenKind kind, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
        => RevokeManyAsync(
            "SELECT id FROM tokens WHERE user_id = @UserId AND kind = @Kind AND revoked_at IS NULL",
            new { UserId = userId, Kind = (int)kind, At = UnixTime.ToStore(at) },
            audit,
            cancellationToken);

    public async Task<RotateOutcome> RotateAsync(long id, NewToken replacement, bool rotatedItself, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var parameters = new { Id = id, At = UnixTime.ToStore(replacement.CreatedAt), RotatedItself = rotatedItself ? 1 : 0 };
        var familyId = await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(RevokeForRotationSql, parameters, transaction, cancellationToken: cancellationToken));
        if (familyId is null)
        {
            // Already revoked (or rotated) by a concurrent call, or gone: nothing was written.
            return RotateOutcome.LostRace;
        }

        var derived = await RevokeDescendantsAsync(connection, transaction, "SELECT @Id", parameters, cancellationToken);
        var stored = await InsertRowAsync(connection, transaction, replacement, familyId, previousId: id, cancellationToken);
        await TokenChangeLog.AppendAsync(connection, transaction, TokenChange.Tokens(derived.Prepend(id)), replacement.CreatedAt, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, audit with { TokenId = audit.TokenId ?? stored.Id }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RotateOutcome(stored, [id, .. derived]);
    }

    public async Task RecordUsageAsync(IReadOnlyCollection<TokenUsage> usage, CancellationToken cancellationToken)
    {
        if (usage.Count == 0)
        {
            return;
        }

        var rows = usage.Select(record => new
        {
            record.TokenId,
            LastUsedAt = UnixTime.ToStore(record.LastUsedAt),
            LastUsedIps = StoreJson.WriteList(record.LastUsedIps),
            KeptIps,
        }).ToList();

        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(RecordUsageSql, rows, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var deleted = await connection.ExecuteAsync(
            new CommandDefinition(PruneSql, new { Cutoff = UnixTime.ToStore(cutoff) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static async Task<InsertRefusal> CheckAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        NewToken token,
        InsertConstraints constraints,
        CancellationToken cancellationToken)
    {
        if (constraints.MaxActivePerUser <= 0 && !constraints.UniqueActiveName)
        {
            return InsertRefusal.None;
        }

        var (active, sameName) = await connection.QuerySingleAsync<(long Active, long SameName)>(new CommandDefinition(
            ActivePersonalSql,
            new { token.UserId, token.Name, Personal = (int)TokenKind.Personal, Now = UnixTime.ToStore(constraints.Now) },
            transaction,
            cancellationToken: cancellationToken));

        if (constraints.MaxActivePerUser > 0 && active >= constraints.MaxActivePerUser)
        {
            return InsertRefusal.LimitReached;
        }

        return constraints.UniqueActiveName && sameName > 0 ? InsertRefusal.NameTaken : InsertRefusal.None;
    }

    /// <summary>Inserts a row and reads it back as stored; a new family (<paramref name="familyId"/> null) is named after its first token.</summary>
    private static async Task<PersonalAccessToken> InsertRowAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        NewToken token,
        long? familyId,
        long? previousId,
        CancellationToken cancellationToken)
    {
        long? revokedAt = null;
        var expiresAt = UnixTime.ToStore(token.ExpiresAt);
        if (token.ParentId is { } parentId)
        {
            // A derived token dies with its parent and never outlives it. If the parent was revoked, or its expiry
            // brought forward, between the caller's check and this transaction, that applies to the child here.
            var (alive, parentExpiresAt) = await connection.QuerySingleOrDefaultAsync<(long Alive, long? ExpiresAt)>(new CommandDefinition(
                "SELECT revoked_at IS NULL, expires_at FROM tokens WHERE id = @Id",
                new { Id = parentId },
                transaction,
                cancellationToken: cancellationToken));
            if (alive == 0)
            {
                revokedAt = UnixTime.ToStore(token.CreatedAt);
            }

            if (parentExpiresAt is { } cap && (expiresAt is null || expiresAt > cap))
            {
                expiresAt = cap;
            }
        }

        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            InsertSql,
            new
            {
                token.PublicId,
                token.UserId,
                Kind = (int)token.Kind,
                token.Name,
                token.Description,
                Scopes = StoreJson.WriteList(token.Scopes),
                Hash = token.Hash.ToArray(),
                token.KeyId,
                CreatedAt = UnixTime.ToStore(token.CreatedAt),
                ExpiresAt = expiresAt,
                RevokedAt = revokedAt,

                // The id is not known before the insert; 0 never survives the transaction.
                FamilyId = familyId ?? 0,
                PreviousId = previousId,
                token.ParentId,
                token.Origin,
                Attributes = StoreJson.WriteMap(token.Attributes),
            },
            transaction,
            cancellationToken: cancellationToken));

        var sql = familyId is null
            ? $"UPDATE tokens SET family_id = id WHERE id = @Id RETURNING {TokenRow.Columns}"
            : FindByIdSql;
        return (await ReadOneAsync(connection, transaction, sql, new { Id = id }, cancellationToken))!;
    }

    private async Task<IReadOnlyList<long>> RevokeManyAsync(string seedSql, object parameters, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var revoked = await RevokeDescendantsAsync(connection, transaction, seedSql, parameters, cancellationToken);
        if (revoked.Count == 0)
        {
            return revoked;
        }

        await TokenChangeLog.AppendAsync(connection, transaction, TokenChange.Tokens(revoked), audit.At, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return revoked;
    }

    /// <summary>
    /// Revokes the tokens <paramref name="seedSql"/> selects and everything derived from them, at any depth, that
    /// is still unrevoked. Returns the ids it changed, in ascending order.
    /// </summary>
    private static async Task<IReadOnlyList<long>> RevokeDescendantsAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string seedSql,
        object parameters,
        CancellationToken cancellationToken)
    {
        var sql = $"""
            WITH RECURSIVE doomed (id) AS (
                {seedSql}
                UNION
                SELECT t.id FROM tokens t JOIN doomed d ON t.parent_id = d.id
            )
            UPDATE tokens SET revoked_at = @At
            WHERE id IN (SELECT id FROM doomed) AND revoked_at IS NULL
            RETURNING id
            """;
        var ids = await connection.QueryAsync<long>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        return ids.Order().ToArray();
    }

    private static async Task<PersonalAccessToken?> ReadOneAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string sql,
        object parameters,
        CancellationToken cancellationToken)
    {
        await using var reader = await connection.ExecuteReaderAsync(
            new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        return await TokenRow.ReadSingleAsync(reader, cancellationToken);
    }
}

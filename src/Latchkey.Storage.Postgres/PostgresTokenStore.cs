using Dapper;
using Latchkey.Auditing;
using Latchkey.Changes;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;
using Npgsql;

namespace Latchkey.Storage.Postgres;

/// <summary>
/// Tokens in PostgreSQL, at its default READ COMMITTED isolation, with several nodes writing at once. Every write is
/// one transaction with its audit entry and, when it changes how tokens authenticate, its <c>token_changes</c> rows.
/// What SQLite gets from its single writer is taken here row by row:
/// <list type="bullet">
/// <item>a check that a write depends on (a cap, a unique name) runs under a lock on the owner's user row, so two
/// creates for one user take turns while other users' do not wait;</item>
/// <item>"still unrevoked" is part of each UPDATE's WHERE, which PostgreSQL re-checks on the newest row version after
/// waiting for a concurrent writer: of two rotations one changes the row, the other finds it revoked;</item>
/// <item>a derived token locks its parent (FOR SHARE) before reading its state, and a cascade over derived tokens
/// repeats with a fresh snapshot until that finds nothing left to change, so a child committed while its parent was
/// being revoked (or capped, or narrowed), or a replacement rotated in while its family or owner's tokens were being
/// revoked, is caught.</item>
/// </list>
/// </summary>
internal sealed class PostgresTokenStore : ITokenStore
{
    private static readonly string FindByHashSql = $"""
        SELECT {TokenRow.QualifiedColumns}, t.token_hash, u.username, u.is_admin, u.state
        FROM tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = @Hash
        """;

    private static readonly string FindByIdSql = $"SELECT {TokenRow.Columns} FROM tokens WHERE id = @Id";

    private static readonly string FindUnrevokedByIdSql = $"SELECT {TokenRow.Columns} FROM tokens WHERE id = @Id AND revoked_at IS NULL";

    private static readonly string FindByPublicIdSql = $"SELECT {TokenRow.Columns} FROM tokens WHERE public_id = @PublicId";

    // NO KEY UPDATE: serialises the writers that check this user's tokens, without blocking the foreign-key checks
    // (KEY SHARE) of inserts that need no check, such as sessions.
    private const string LockOwnerSql = "SELECT 1 FROM users WHERE id = @UserId FOR NO KEY UPDATE";

    private const string LockOwnerOfTokenSql = "SELECT 1 FROM users WHERE id = (SELECT user_id FROM tokens WHERE id = @Id) FOR NO KEY UPDATE";

    // One pass over the owner's personal tokens answers both constraints.
    private const string ActivePersonalSql = """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE name = @Name)
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
    private static readonly string CapDerivedSql = Cascade(
        DerivedFromIdSql, "expires_at = @ExpiresAt", "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @ExpiresAt)");

    // Access tokens carry their parent's scopes (ExchangeAsync copies them); a narrowed parent narrows them too.
    private static readonly string NarrowDerivedSql = Cascade(DerivedFromIdSql, "scopes = @Scopes", "revoked_at IS NULL AND scopes <> @Scopes");

    private const string DerivedFromIdSql = "SELECT id FROM tokens WHERE parent_id = @Id";

    // The id is drawn first so that a new family can be named after its first token in the same statement.
    private static readonly string InsertSql = $"""
        WITH next AS (SELECT nextval(pg_get_serial_sequence('tokens', 'id')) AS id)
        INSERT INTO tokens (id, public_id, user_id, kind, name, name_fold, description, scopes, token_hash, key_id,
                            created_at, expires_at, revoked_at, family_id, previous_id, parent_id, origin, attributes)
        SELECT next.id, @PublicId, @UserId, @Kind, @Name, @NameFold, @Description, @Scopes, @Hash, @KeyId,
               @CreatedAt, @ExpiresAt, @RevokedAt, COALESCE(@FamilyId, next.id), @PreviousId, @ParentId, @Origin, @Attributes
        FROM next
        RETURNING {TokenRow.Columns}
        """;

    private const string RevokeOneSql = "UPDATE tokens SET revoked_at = @At WHERE id = @Id AND revoked_at IS NULL";

    private const string RevokeForRotationSql = """
        UPDATE tokens SET revoked_at = @At, rotated = true, rotated_itself = @RotatedItself
        WHERE id = @Id AND revoked_at IS NULL
        RETURNING family_id
        """;

    private const string PruneSql = "DELETE FROM tokens WHERE revoked_at < @Cutoff OR expires_at < @Cutoff";

    // Rows are locked in id order before the update, so two nodes flushing overlapping batches wait for each other
    // instead of deadlocking.
    private const string LockUsageSql = "SELECT id FROM tokens WHERE id = ANY(@Ids) ORDER BY id FOR NO KEY UPDATE";

    // Batches from several nodes merge: the newest time wins (an older batch changes nothing), and the addresses are
    // the newer batch's followed by those already stored, without repeats, keeping the newest few.
    private const string RecordUsageSql = """
        UPDATE tokens t SET
            last_used_at = u.at,
            last_used_ips = (
                SELECT COALESCE(jsonb_agg(ip ORDER BY rank), '[]'::jsonb)::text
                FROM (
                    SELECT ip, MIN(rank) AS rank
                    FROM (
                        SELECT ip, rank FROM jsonb_array_elements_text(u.ips::jsonb) WITH ORDINALITY AS n (ip, rank)
                        UNION ALL
                        SELECT ip, 1000000 + rank FROM jsonb_array_elements_text(t.last_used_ips::jsonb) WITH ORDINALITY AS o (ip, rank)
                    ) candidates
                    GROUP BY ip
                    ORDER BY MIN(rank)
                    LIMIT GREATEST(jsonb_array_length(u.ips::jsonb), @KeptIps)
                ) merged)
        FROM unnest(@Ids, @Ats, @Ips) AS u (id, at, ips)
        WHERE t.id = u.id AND (t.last_used_at IS NULL OR t.last_used_at <= u.at)
        """;

    /// <summary>How many addresses a merge keeps at least (the engine's default; a batch with more keeps all of its own).</summary>
    private const int KeptIps = 5;

    private readonly PostgresConnectionFactory _connections;

    public PostgresTokenStore(PostgresConnectionFactory connections)
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
            reader.GetBoolean(column + 2),
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
        var sql = new TokenQuerySql(query, PostgresDialect.Instance);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await Paging.ReadAsync(
            connection, PostgresDialect.Instance, sql.CountSql, sql.PageSql, sql.Parameters, query.Page, query.PerPage, TokenRow.Read, cancellationToken);
    }

    public async Task<Page<OwnedToken>> QueryWithOwnersAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        var sql = new TokenQuerySql(query, PostgresDialect.Instance);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await Paging.ReadAsync(
            connection,
            PostgresDialect.Instance,
            sql.CountSql,
            sql.PageWithOwnersSql,
            sql.Parameters,
            query.Page,
            query.PerPage,
            reader =>
            {
                var token = TokenRow.Read(reader);
                var column = TokenRow.Next;
                return new OwnedToken(token, new TokenOwner(token.UserId, reader.GetString(column), reader.GetBoolean(column + 1), reader.GetString(column + 2) == UserStates.Active));
            },
            cancellationToken);
    }

    public async Task<InsertOutcome> InsertAsync(NewToken token, InsertConstraints constraints, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
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
            assignments.Add("name = @Name, name_fold = @NameFold");
            parameters.Add("Name", changes.Name);
            parameters.Add("NameFold", TokenQuerySql.Fold(changes.Name));
        }

        if (changes.DescriptionChanged)
        {
            assignments.Add("description = @Description");
            parameters.Add("Description", changes.Description, System.Data.DbType.String);
        }

        if (changes.Scopes is not null)
        {
            assignments.Add("scopes = @Scopes");
            parameters.Add("Scopes", StoreJson.WriteList(changes.Scopes));
        }

        if (changes.ExpiresAtChanged)
        {
            assignments.Add("expires_at = @ExpiresAt");
            parameters.Add("ExpiresAt", UnixTime.ToStore(changes.ExpiresAt), System.Data.DbType.Int64);
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

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (changes.Name is not null && constraints.UniqueActiveName)
        {
            await connection.ExecuteAsync(new CommandDefinition(LockOwnerOfTokenSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
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
            capped.UnionWith(await RepeatUntilUnchangedAsync(
                connection, transaction, CapDerivedSql, new { Id = id, ExpiresAt = UnixTime.ToStore(expiresAt) }, cancellationToken));
        }

        if (changes.Scopes is not null)
        {
            capped.UnionWith(await RepeatUntilUnchangedAsync(
                connection, transaction, NarrowDerivedSql, new { Id = id, Scopes = StoreJson.WriteList(changes.Scopes) }, cancellationToken));
        }

        await TokenChangeLog.AppendAsync(connection, transaction, TokenChange.Tokens(capped.Prepend(id)), audit.At, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, audit, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UpdateOutcome(updated) { CappedIds = [.. capped] };
    }

    public async Task<IReadOnlyList<long>> RevokeAsync(long id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
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
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var parameters = new { Id = id, At = UnixTime.ToStore(replacement.CreatedAt), RotatedItself = rotatedItself };
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

        // One record per token: the newest, should a batch hold two.
        var newest = usage.GroupBy(record => record.TokenId).Select(group => group.MaxBy(record => record.LastUsedAt)!).OrderBy(record => record.TokenId).ToArray();
        var ids = newest.Select(record => record.TokenId).ToArray();
        var parameters = new
        {
            Ids = ids,
            Ats = newest.Select(record => UnixTime.ToStore(record.LastUsedAt)).ToArray(),
            Ips = newest.Select(record => StoreJson.WriteList(record.LastUsedIps)).ToArray(),
            KeptIps,
        };

        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(LockUsageSql, new { Ids = ids }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(RecordUsageSql, parameters, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            new CommandDefinition(PruneSql, new { Cutoff = UnixTime.ToStore(cutoff) }, cancellationToken: cancellationToken));
    }

    private static async Task<InsertRefusal> CheckAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        NewToken token,
        InsertConstraints constraints,
        CancellationToken cancellationToken)
    {
        if (constraints.MaxActivePerUser <= 0 && !constraints.UniqueActiveName)
        {
            return InsertRefusal.None;
        }

        // Held to the commit: another create for this user counts after this one's row is visible.
        await connection.ExecuteAsync(new CommandDefinition(LockOwnerSql, new { token.UserId }, transaction, cancellationToken: cancellationToken));
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

    /// <summary>Inserts a row and returns it as stored; a new family (<paramref name="familyId"/> null) is named after its first token.</summary>
    private static async Task<PersonalAccessToken> InsertRowAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
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
            // FOR SHARE waits for a writer of the parent and reads what it committed; a writer that comes later
            // waits for this transaction, and its cascade then finds the child.
            // A parent that is gone reads as (false, null): the child is born revoked.
            var (alive, parentExpiresAt) = await connection.QuerySingleOrDefaultAsync<(bool Alive, long? ExpiresAt)>(new CommandDefinition(
                "SELECT revoked_at IS NULL, expires_at FROM tokens WHERE id = @Id FOR SHARE",
                new { Id = parentId },
                transaction,
                cancellationToken: cancellationToken));
            if (!alive)
            {
                revokedAt = UnixTime.ToStore(token.CreatedAt);
            }

            if (parentExpiresAt is { } cap && (expiresAt is null || expiresAt > cap))
            {
                expiresAt = cap;
            }
        }

        return (await ReadOneAsync(
            connection,
            transaction,
            InsertSql,
            new
            {
                token.PublicId,
                token.UserId,
                Kind = (int)token.Kind,
                token.Name,
                NameFold = TokenQuerySql.Fold(token.Name),
                token.Description,
                Scopes = StoreJson.WriteList(token.Scopes),
                Hash = token.Hash.ToArray(),
                token.KeyId,
                CreatedAt = UnixTime.ToStore(token.CreatedAt),
                ExpiresAt = expiresAt,
                RevokedAt = revokedAt,
                FamilyId = familyId,
                PreviousId = previousId,
                token.ParentId,
                token.Origin,
                Attributes = StoreJson.WriteMap(token.Attributes),
            },
            cancellationToken))!;
    }

    private async Task<IReadOnlyList<long>> RevokeManyAsync(string seedSql, object parameters, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
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
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string seedSql,
        object parameters,
        CancellationToken cancellationToken)
    {
        var sql = Cascade(seedSql, "revoked_at = @At", "revoked_at IS NULL");
        var ids = await RepeatUntilUnchangedAsync(connection, transaction, sql, parameters, cancellationToken);
        return ids.Order().ToArray();
    }

    /// <summary>
    /// An UPDATE of <paramref name="seedSql"/>'s tokens and everything derived from them, at any depth, that match
    /// <paramref name="condition"/>; it answers a row per token its snapshot saw matching, and whether it changed it.
    /// </summary>
    private static string Cascade(string seedSql, string assignment, string condition) => $"""
        WITH RECURSIVE targets (id) AS (
            {seedSql}
            UNION
            SELECT t.id FROM tokens t JOIN targets d ON t.parent_id = d.id
        ),
        changed AS (
            UPDATE tokens SET {assignment}
            WHERE id IN (SELECT id FROM targets) AND {condition}
            RETURNING id
        )
        SELECT id, id IN (SELECT id FROM changed) AS changed
        FROM tokens
        WHERE id IN (SELECT id FROM targets) AND {condition}
        """;

    /// <summary>
    /// Runs a <see cref="Cascade"/> until its snapshot finds nothing left to change. Under READ COMMITTED each run sees
    /// what was committed before it started; a row that a concurrent transaction changed is skipped by the UPDATE
    /// once that commits (say, a token rotated while its family or owner's tokens are revoked), and whatever that
    /// transaction added (the replacement, a derived token) is found by the next run. Stopping at the first run that
    /// changed nothing would miss it when every row of that run was skipped. Returns every id changed.
    /// </summary>
    private static async Task<List<long>> RepeatUntilUnchangedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string sql,
        object parameters,
        CancellationToken cancellationToken)
    {
        var all = new List<long>();
        while (true)
        {
            var rows = (await connection.QueryAsync<(long Id, bool Changed)>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).AsList();
            if (rows.Count == 0)
            {
                return all;
            }

            all.AddRange(rows.Where(row => row.Changed).Select(row => row.Id));
        }
    }

    private static async Task<PersonalAccessToken?> ReadOneAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string sql,
        object parameters,
        CancellationToken cancellationToken)
    {
        await using var reader = await connection.ExecuteReaderAsync(
            new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        return await TokenRow.ReadSingleAsync(reader, cancellationToken);
    }
}

using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;

namespace Latchkey.Tests.Fakes;

/// <summary>
/// <see cref="ITokenStore"/> in memory, as the SQL stores behave: one lock is the transaction and the audit entry is
/// appended inside it, timestamps are kept to the millisecond, ids only grow, a new token is its own family, and
/// revoking a token, or bringing its expiry forward, does the same to what was derived from it.
/// </summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Row> _rows = [];
    private readonly Dictionary<TokenHash, long> _idsByHash = [];
    private readonly List<IReadOnlyList<TokenUsage>> _usageBatches = [];
    private readonly InMemoryUserStore _users;
    private readonly InMemoryAuditStore _audit;
    private long _lastId;
    private int _findByHashCalls;
    private Func<Task>? _afterNextFind;
    private Func<Task>? _afterNextFindByHash;
    private Exception? _failNextUsageWrite;
    private TaskCompletionSource? _holdNextUsageWrite;

    public InMemoryTokenStore(InMemoryUserStore users, InMemoryAuditStore audit)
    {
        _users = users;
        _audit = audit;
        users.Attach(this, audit);
        audit.Attach(users, this);
    }

    /// <summary>How many hash lookups reached the store: the cold path.</summary>
    public int FindByHashCalls => Volatile.Read(ref _findByHashCalls);

    /// <summary>Every batch <see cref="RecordUsageAsync"/> was given, in order.</summary>
    public IReadOnlyList<IReadOnlyList<TokenUsage>> UsageBatches
    {
        get
        {
            lock (_lock)
            {
                return [.. _usageBatches];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>Runs once, after the next <see cref="FindAsync"/> has read its row and before it answers.</summary>
    public void AfterNextFind(Func<Task> action) => _afterNextFind = action;

    /// <summary>Runs once, after the next <see cref="FindByHashAsync"/> has read its row and before it answers.</summary>
    public void AfterNextFindByHash(Func<Task> action) => _afterNextFindByHash = action;

    /// <summary>Makes the next <see cref="RecordUsageAsync"/> throw, as a lost connection would.</summary>
    public void FailNextUsageWrite(Exception exception) => _failNextUsageWrite = exception;

    /// <summary>Makes the next <see cref="RecordUsageAsync"/> wait before it writes until the returned source completes, as a slow write would.</summary>
    public TaskCompletionSource HoldNextUsageWrite() => _holdNextUsageWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<StoredToken?> FindByHashAsync(TokenHash hash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _findByHashCalls);
        Row? row = null;
        lock (_lock)
        {
            if (_idsByHash.TryGetValue(hash, out var id))
            {
                row = _rows[id];
            }
        }

        // The owner is read after the token's lock is let go: user writes hold the users' lock and then take this
        // one (ending sessions), so taking them the other way round here could deadlock.
        var found = row is not null && _users.OwnerOf(row.Token.UserId) is { } owner ? new StoredToken(row.Token, row.Hash, owner) : null;

        if (Interlocked.Exchange(ref _afterNextFindByHash, null) is { } hook)
        {
            await hook();
        }

        return found;
    }

    public async Task<PersonalAccessToken?> FindAsync(long id, CancellationToken cancellationToken)
    {
        PersonalAccessToken? found;
        lock (_lock)
        {
            found = _rows.GetValueOrDefault(id)?.Token;
        }

        if (Interlocked.Exchange(ref _afterNextFind, null) is { } hook)
        {
            await hook();
        }

        return found;
    }

    public Task<PersonalAccessToken?> FindByPublicIdAsync(string publicId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.Values.Select(r => r.Token).FirstOrDefault(t => t.PublicId == publicId));
        }
    }

    public Task<Page<PersonalAccessToken>> QueryAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        // The owner is looked up before the token's lock is taken, as in FindByHashAsync: user writes take the locks
        // the other way round.
        var ownerId = query.OwnerUsername is { } username ? _users.IdOf(username) ?? -1 : (long?)null;
        lock (_lock)
        {
            var matches = _rows.Values.Select(r => r.Token).Where(t => Matches(query, t) && (ownerId is null || t.UserId == ownerId)).ToArray();
            var items = Sort(matches, query.Sort).Skip((query.Page - 1) * query.PerPage).Take(query.PerPage).ToArray();
            return Task.FromResult(new Page<PersonalAccessToken>(items, matches.Length, query.Page, query.PerPage));
        }
    }

    public async Task<Page<OwnedToken>> QueryWithOwnersAsync(TokenQuery query, CancellationToken cancellationToken)
    {
        var page = await QueryAsync(query, cancellationToken);
        return new Page<OwnedToken>(
            [.. page.Items.Select(token => new OwnedToken(token, _users.OwnerOf(token.UserId) ?? throw new InvalidOperationException($"Token {token.Id} has no owner.")))],
            page.Total,
            page.PageNumber,
            page.PerPage);
    }

    /// <summary>The name of a stored token, for the audit log's names; <c>null</c> when it is gone.</summary>
    internal string? NameOf(long id)
    {
        lock (_lock)
        {
            return _rows.GetValueOrDefault(id)?.Token.Name;
        }
    }

    public Task<InsertOutcome> InsertAsync(NewToken token, InsertConstraints constraints, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // The caps and unique names are about personal tokens; sessions and access tokens are never refused.
            var active = token.Kind != TokenKind.Personal ? [] : _rows.Values
                .Select(r => r.Token)
                .Where(t => t.UserId == token.UserId && t.Kind == TokenKind.Personal && t.IsActiveAt(constraints.Now))
                .ToArray();
            if (token.Kind == TokenKind.Personal && constraints.MaxActivePerUser > 0 && active.Length >= constraints.MaxActivePerUser)
            {
                return Task.FromResult(InsertOutcome.Refused(InsertRefusal.LimitReached));
            }

            if (constraints.UniqueActiveName && active.Any(t => t.Name == token.Name))
            {
                return Task.FromResult(InsertOutcome.Refused(InsertRefusal.NameTaken));
            }

            var id = ++_lastId;
            var inserted = Add(token, id, familyId: id, previousId: null);
            _audit.Append(audit with { TokenId = audit.TokenId ?? id });
            return Task.FromResult(new InsertOutcome(inserted));
        }
    }

    public Task<UpdateOutcome> UpdateAsync(long id, TokenChanges changes, UpdateConstraints constraints, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_rows.TryGetValue(id, out var row) || row.Token.IsRevoked)
            {
                return Task.FromResult(UpdateOutcome.NotFound);
            }

            var token = row.Token;
            if (changes.Name is null && !changes.DescriptionChanged && changes.Scopes is null && !changes.ExpiresAtChanged && changes.Attributes is null)
            {
                // Nothing to write, so nothing to audit.
                return Task.FromResult(new UpdateOutcome(token));
            }

            if (constraints.UniqueActiveName && changes.Name is { } name && name != token.Name
                && _rows.Values.Any(r => r.Token.Id != id && r.Token.UserId == token.UserId && r.Token.Kind == TokenKind.Personal
                    && r.Token.Name == name && r.Token.IsActiveAt(constraints.Now)))
            {
                return Task.FromResult(UpdateOutcome.Refused(UpdateRefusal.NameTaken));
            }

            var updated = token with
            {
                Name = changes.Name ?? token.Name,
                Description = changes.DescriptionChanged ? changes.Description : token.Description,
                Scopes = changes.Scopes is null ? token.Scopes : [.. changes.Scopes],
                ExpiresAt = changes.ExpiresAtChanged ? Timestamps.Truncate(changes.ExpiresAt) : token.ExpiresAt,
                Attributes = changes.Attributes is null ? token.Attributes : new Dictionary<string, string>(changes.Attributes),
            };
            _rows[id] = row with { Token = updated };
            var capped = new List<long>();
            if (changes.ExpiresAtChanged && updated.ExpiresAt is { } expiresAt)
            {
                CapDerived(id, expiresAt, capped);
            }

            if (changes.Scopes is { } scopes)
            {
                NarrowDerived(id, [.. scopes], capped);
            }

            _audit.Append(audit);
            return Task.FromResult(new UpdateOutcome(updated) { CappedIds = [.. capped.Distinct().Order()] });
        }
    }

    public Task<IReadOnlyList<long>> RevokeAsync(long id, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_rows.TryGetValue(id, out var row) || row.Token.IsRevoked)
            {
                return Task.FromResult<IReadOnlyList<long>>([]);
            }

            var revoked = new List<long>();
            Revoke(id, Timestamps.Truncate(at), revoked);
            _audit.Append(audit);
            return Task.FromResult<IReadOnlyList<long>>(revoked);
        }
    }

    public Task<IReadOnlyList<long>> RevokeFamilyAsync(long familyId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<long>>(RevokeWhere(t => t.FamilyId == familyId, at, audit));
        }
    }

    public Task<IReadOnlyList<long>> RevokeAllAsync(long userId, TokenKind kind, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<long>>(RevokeWhere(t => t.UserId == userId && t.Kind == kind, at, audit));
        }
    }

    public Task<RotateOutcome> RotateAsync(long id, NewToken replacement, bool rotatedItself, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_rows.TryGetValue(id, out var row) || row.Token.IsRevoked)
            {
                return Task.FromResult(RotateOutcome.LostRace);
            }

            var revoked = new List<long>();
            Revoke(id, Timestamps.Truncate(replacement.CreatedAt), revoked);
            _rows[id] = _rows[id] with { Token = _rows[id].Token with { Rotated = true, RotatedItself = rotatedItself } };
            var newId = ++_lastId;
            var inserted = Add(replacement, newId, row.Token.FamilyId, previousId: id);
            _audit.Append(audit with { TokenId = audit.TokenId ?? newId });
            return Task.FromResult(new RotateOutcome(inserted, revoked));
        }
    }

    // As the SQL stores merge: the newer batch's addresses first, then those stored, without repeats, five at least.
    private static string[] MergedIps(IReadOnlyList<string> newer, IReadOnlyList<string> stored)
        => [.. newer.Concat(stored).Distinct(StringComparer.Ordinal).Take(Math.Max(newer.Count, 5))];

    public Task RecordUsageAsync(IReadOnlyCollection<TokenUsage> usage, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _failNextUsageWrite, null) is { } failure)
        {
            return Task.FromException(failure);
        }

        if (Interlocked.Exchange(ref _holdNextUsageWrite, null) is { } hold)
        {
            return RecordUsageWhenReleasedAsync(hold.Task, usage, cancellationToken);
        }

        lock (_lock)
        {
            _usageBatches.Add([.. usage]);
            foreach (var use in usage)
            {
                // Batches may arrive out of order (two nodes, a retried flush): an older use never replaces a newer one.
                if (_rows.TryGetValue(use.TokenId, out var row) && !(row.Token.LastUsedAt > use.LastUsedAt))
                {
                    _rows[use.TokenId] = row with
                    {
                        Token = row.Token with { LastUsedAt = Timestamps.Truncate(use.LastUsedAt), LastUsedIps = MergedIps(use.LastUsedIps, row.Token.LastUsedIps) },
                    };
                }
            }
        }

        return Task.CompletedTask;
    }

    private async Task RecordUsageWhenReleasedAsync(Task released, IReadOnlyCollection<TokenUsage> usage, CancellationToken cancellationToken)
    {
        await released;
        await RecordUsageAsync(usage, cancellationToken);
    }

    public Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var doomed = _rows.Values.Where(r => r.Token.ExpiresAt < cutoff || r.Token.RevokedAt < cutoff).ToArray();
            foreach (var row in doomed)
            {
                _rows.Remove(row.Token.Id);
                _idsByHash.Remove(row.Hash);
            }

            return Task.FromResult(doomed.Length);
        }
    }

    /// <summary>Revokes a user's sessions but one, inside the users' "transaction" (their lock, which the caller holds).</summary>
    internal IReadOnlyList<long> EndSessions(long userId, long? keepId, DateTimeOffset at)
    {
        lock (_lock)
        {
            var revoked = new List<long>();
            foreach (var id in _rows.Values.Select(r => r.Token).Where(t => t.UserId == userId && t.Kind == TokenKind.Session && !t.IsRevoked && t.Id != keepId).Select(t => t.Id).ToArray())
            {
                Revoke(id, Timestamps.Truncate(at), revoked);
            }

            return revoked;
        }
    }

    /// <summary>Deletes every token a deleted user owned, as the SQL stores' foreign key cascades.</summary>
    internal void DeleteOwnedBy(long userId)
    {
        lock (_lock)
        {
            foreach (var row in _rows.Values.Where(r => r.Token.UserId == userId).ToArray())
            {
                _rows.Remove(row.Token.Id);
                _idsByHash.Remove(row.Hash);
            }
        }
    }

    private PersonalAccessToken Add(NewToken token, long id, long familyId, long? previousId)
    {
        DateTimeOffset? revokedAt = null;
        var expiresAt = Timestamps.Truncate(token.ExpiresAt);
        if (token.ParentId is { } parentId && _rows.TryGetValue(parentId, out var parent))
        {
            // A derived token dies with its parent and never outlives it, even when the parent was revoked or its
            // expiry brought forward after the caller looked at it.
            if (parent.Token.IsRevoked)
            {
                revokedAt = Timestamps.Truncate(token.CreatedAt);
            }

            if (parent.Token.ExpiresAt is { } cap && (expiresAt is null || expiresAt > cap))
            {
                expiresAt = cap;
            }
        }

        var stored = new PersonalAccessToken
        {
            Id = id,
            PublicId = token.PublicId,
            UserId = token.UserId,
            Kind = token.Kind,
            Name = token.Name,
            Description = token.Description,
            Scopes = [.. token.Scopes],
            CreatedAt = Timestamps.Truncate(token.CreatedAt),
            ExpiresAt = expiresAt,
            RevokedAt = revokedAt,
            FamilyId = familyId,
            PreviousId = previousId,
            ParentId = token.ParentId,
            Origin = token.Origin,
            Attributes = new Dictionary<string, string>(token.Attributes),
        };
        _rows[id] = new Row(stored, token.Hash);
        _idsByHash[token.Hash] = id;
        return stored;
    }

    private List<long> RevokeWhere(Func<PersonalAccessToken, bool> predicate, DateTimeOffset at, AuditEntry audit)
    {
        var revoked = new List<long>();
        foreach (var id in _rows.Values.Select(r => r.Token).Where(predicate).Select(t => t.Id).ToArray())
        {
            Revoke(id, Timestamps.Truncate(at), revoked);
        }

        if (revoked.Count > 0)
        {
            _audit.Append(audit);
        }

        return revoked;
    }

    // Revokes the token if it is not yet revoked, then whatever was derived from it.
    private void Revoke(long id, DateTimeOffset at, List<long> revoked)
    {
        var row = _rows[id];
        if (!row.Token.IsRevoked)
        {
            _rows[id] = row with { Token = row.Token with { RevokedAt = at } };
            revoked.Add(id);
        }

        foreach (var child in _rows.Values.Where(r => r.Token.ParentId == id && !r.Token.IsRevoked).Select(r => r.Token.Id).ToArray())
        {
            Revoke(child, at, revoked);
        }
    }

    // Gives what derives from the token, at any depth, an expiry no later than its own.
    private void CapDerived(long id, DateTimeOffset expiresAt, List<long> capped)
    {
        foreach (var child in _rows.Values.Select(r => r.Token).Where(t => t.ParentId == id).ToArray())
        {
            if (!child.IsRevoked && (child.ExpiresAt is null || child.ExpiresAt > expiresAt))
            {
                _rows[child.Id] = _rows[child.Id] with { Token = child with { ExpiresAt = expiresAt } };
                capped.Add(child.Id);
            }

            CapDerived(child.Id, expiresAt, capped);
        }
    }

    private void NarrowDerived(long id, string[] scopes, List<long> narrowed)
    {
        foreach (var child in _rows.Values.Select(r => r.Token).Where(t => t.ParentId == id).ToArray())
        {
            if (!child.IsRevoked && !child.Scopes.SequenceEqual(scopes))
            {
                _rows[child.Id] = _rows[child.Id] with { Token = child with { Scopes = scopes } };
                narrowed.Add(child.Id);
            }

            NarrowDerived(child.Id, scopes, narrowed);
        }
    }

    private static bool Matches(TokenQuery q, PersonalAccessToken t)
        => (q.UserId is null || t.UserId == q.UserId)
            && t.Kind == q.Kind
            && (q.Origin is null || t.Origin == q.Origin)
            && (q.Active is null || t.IsActiveAt(q.Now) == q.Active)
            && (q.Revoked is null || t.IsRevoked == q.Revoked)
            && (q.Search is null || t.Name.Contains(q.Search, StringComparison.OrdinalIgnoreCase))
            && (q.Name is null || t.Name == q.Name)
            && (q.CreatedBefore is null || t.CreatedAt < q.CreatedBefore)
            && (q.CreatedAfter is null || t.CreatedAt > q.CreatedAfter)
            && (q.LastUsedBefore is null || t.LastUsedAt is null || t.LastUsedAt < q.LastUsedBefore)
            && (q.LastUsedAfter is null || t.LastUsedAt > q.LastUsedAfter)
            && (q.NeverUsed is null || (t.LastUsedAt is null) == q.NeverUsed)
            && (q.ExpiresBefore is null || t.ExpiresAt < q.ExpiresBefore)
            && (q.ExpiresAfter is null || t.ExpiresAt is null || t.ExpiresAt > q.ExpiresAfter);

    // Never expiring sorts as the latest expiry; never used as the earliest use. Ties go by id, same direction.
    private static IEnumerable<PersonalAccessToken> Sort(IEnumerable<PersonalAccessToken> tokens, TokenSort sort) => sort switch
    {
        TokenSort.CreatedAsc => tokens.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id),
        TokenSort.CreatedDesc => tokens.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
        TokenSort.ExpiresAsc => tokens.OrderBy(t => t.ExpiresAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.Id),
        TokenSort.ExpiresDesc => tokens.OrderByDescending(t => t.ExpiresAt ?? DateTimeOffset.MaxValue).ThenByDescending(t => t.Id),
        TokenSort.LastUsedAsc => tokens.OrderBy(t => t.LastUsedAt ?? DateTimeOffset.MinValue).ThenBy(t => t.Id),
        TokenSort.LastUsedDesc => tokens.OrderByDescending(t => t.LastUsedAt ?? DateTimeOffset.MinValue).ThenByDescending(t => t.Id),
        TokenSort.NameAsc => tokens.OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Id),
        TokenSort.NameDesc => tokens.OrderByDescending(t => t.Name, StringComparer.Ordinal).ThenByDescending(t => t.Id),
        TokenSort.IdAsc => tokens.OrderBy(t => t.Id),
        _ => tokens.OrderByDescending(t => t.Id),
    };

    private sealed record Row(PersonalAccessToken Token, TokenHash Hash);
}

using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Tests.Fakes;

/// <summary>
/// Users in memory: increasing ids, usernames unique without regard to case. The lock is the transaction: a write
/// ends sessions or deletes tokens in the token store and appends its audit entry while holding it.
/// </summary>
public sealed class InMemoryUserStore : IUserStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, User> _users = [];
    private readonly Dictionary<long, TwoFactorSecrets> _twoFactor = [];
    private readonly List<(long UserId, RecoveryCode Code)> _recoveryCodes = [];
    private long _lastId;
    private long _lastCodeId;
    private InMemoryTokenStore? _tokens;
    private InMemoryAuditStore? _audit;

    /// <summary>The token store over these users (it attaches itself), whose tokens user writes end or delete.</summary>
    internal void Attach(InMemoryTokenStore tokens, InMemoryAuditStore audit)
    {
        _tokens = tokens;
        _audit = audit;
    }

    public Task<User?> FindAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_users.GetValueOrDefault(id));
        }
    }

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_users.Values.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase)));
        }
    }

    public Task<User?> CreateAsync(NewUser user, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_users.Values.Any(u => string.Equals(u.Username, user.Username, StringComparison.OrdinalIgnoreCase)))
            {
                return Task.FromResult<User?>(null);
            }

            var created = new User
            {
                Id = ++_lastId,
                Username = user.Username,
                Email = user.Email,
                Name = user.Name,
                PasswordHash = user.PasswordHash,
                IsAdmin = user.IsAdmin,
                CreatedAt = Timestamps.Truncate(user.CreatedAt),
            };
            _users[created.Id] = created;
            if (user.Audit is { } audit)
            {
                _audit?.Append(audit with { SubjectUserId = created.Id });
            }

            return Task.FromResult<User?>(created);
        }
    }

    public Task<Page<User>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var items = _users.Values.Skip((page - 1) * perPage).Take(perPage).ToArray();
            return Task.FromResult(new Page<User>(items, _users.Count, page, perPage));
        }
    }

    public Task<long> CountAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult((long)_users.Count);
        }
    }

    public Task<bool> SetPasswordHashAsync(long id, string expectedHash, string passwordHash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user) || user.PasswordHash != expectedHash)
            {
                return Task.FromResult(false);
            }

            _users[id] = user with { PasswordHash = passwordHash };
            return Task.FromResult(true);
        }
    }

    public Task<UserWriteOutcome> UpdateAsync(long id, UserChanges changes, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user))
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.NotFound));
            }

            var updated = user with
            {
                Name = changes.NameChanged ? changes.Name : user.Name,
                Email = changes.EmailChanged ? changes.Email : user.Email,
                IsAdmin = changes.IsAdmin ?? user.IsAdmin,
                State = changes.State ?? user.State,
                PasswordHash = changes.PasswordHash ?? user.PasswordHash,
            };
            if (changes.KeepAnActiveAdministrator && !_users.Values.Any(u => u.Id != id ? IsActiveAdministrator(u) : IsActiveAdministrator(updated)))
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.LastAdministrator));
            }

            _users[id] = updated;
            var ended = changes.EndSessions ? Tokens.EndSessions(id, changes.KeepSessionId, audit.At) : [];
            _audit!.Append(audit);
            return Task.FromResult(new UserWriteOutcome(updated) { EndedSessionIds = ended });
        }
    }

    public Task<UserWriteOutcome> DeleteAsync(long id, bool keepAnActiveAdministrator, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user))
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.NotFound));
            }

            if (keepAnActiveAdministrator && !_users.Values.Any(u => u.Id != id && IsActiveAdministrator(u)))
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.LastAdministrator));
            }

            _users.Remove(id);
            _twoFactor.Remove(id);
            _recoveryCodes.RemoveAll(entry => entry.UserId == id);
            Tokens.DeleteOwnedBy(id);
            _audit!.Append(audit);
            return Task.FromResult(new UserWriteOutcome(user));
        }
    }

    public Task<TwoFactorSecrets?> GetTwoFactorAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_users.ContainsKey(id) ? SecretsOf(id) : null);
        }
    }

    public Task<bool> SetPendingTwoFactorAsync(long id, string pendingSecret, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user) || user.HasTwoFactor)
            {
                return Task.FromResult(false);
            }

            _twoFactor[id] = SecretsOf(id) with { PendingSecret = pendingSecret };
            return Task.FromResult(true);
        }
    }

    public Task<UserWriteOutcome> EnableTwoFactorAsync(long id, string expectedPendingSecret, long step, IReadOnlyList<(string KeyId, TokenHash Hash)> recoveryCodes, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user))
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.NotFound));
            }

            var secrets = SecretsOf(id);
            if (user.HasTwoFactor || secrets.PendingSecret != expectedPendingSecret)
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.TwoFactorChanged));
            }

            _twoFactor[id] = new TwoFactorSecrets(secrets.PendingSecret, null, step);
            var updated = _users[id] = user with { TwoFactorEnabledAt = Timestamps.Truncate(audit.At) };
            ReplaceCodes(id, recoveryCodes);
            _audit!.Append(audit);
            return Task.FromResult(new UserWriteOutcome(updated));
        }
    }

    public Task<UserWriteOutcome> DisableTwoFactorAsync(long id, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user))
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.NotFound));
            }

            _twoFactor.Remove(id);
            var updated = _users[id] = user with { TwoFactorEnabledAt = null };
            ReplaceCodes(id, []);
            _audit!.Append(audit);
            return Task.FromResult(new UserWriteOutcome(updated));
        }
    }

    public Task<UserWriteOutcome> ReplaceRecoveryCodesAsync(long id, IReadOnlyList<(string KeyId, TokenHash Hash)> recoveryCodes, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user))
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.NotFound));
            }

            if (!user.HasTwoFactor)
            {
                return Task.FromResult(UserWriteOutcome.Refused(UserWriteRefusal.TwoFactorChanged));
            }

            ReplaceCodes(id, recoveryCodes);
            _audit!.Append(audit);
            return Task.FromResult(new UserWriteOutcome(user));
        }
    }

    public Task<bool> AdvanceTwoFactorStepAsync(long id, long step, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user) || !user.HasTwoFactor || SecretsOf(id).LastStep >= step)
            {
                return Task.FromResult(false);
            }

            _twoFactor[id] = SecretsOf(id) with { LastStep = step };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<RecoveryCode>> ListRecoveryCodesAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RecoveryCode>>([.. _recoveryCodes.Where(entry => entry.UserId == id).Select(entry => entry.Code)]);
        }
    }

    public Task<bool> UseRecoveryCodeAsync(long id, long codeId, AuditEntry audit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var index = _recoveryCodes.FindIndex(entry => entry.UserId == id && entry.Code.Id == codeId && entry.Code.UsedAt is null);
            if (index < 0)
            {
                return Task.FromResult(false);
            }

            _recoveryCodes[index] = (id, _recoveryCodes[index].Code with { UsedAt = Timestamps.Truncate(audit.At) });
            _audit!.Append(audit);
            return Task.FromResult(true);
        }
    }

    public Task<bool> StartTwoFactorGraceAsync(long id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user) || user.TwoFactorGraceFrom is not null)
            {
                return Task.FromResult(false);
            }

            _users[id] = user with { TwoFactorGraceFrom = Timestamps.Truncate(at) };
            return Task.FromResult(true);
        }
    }

    private TwoFactorSecrets SecretsOf(long id) => _twoFactor.GetValueOrDefault(id) ?? new TwoFactorSecrets(null, null, null);

    private void ReplaceCodes(long id, IReadOnlyList<(string KeyId, TokenHash Hash)> codes)
    {
        _recoveryCodes.RemoveAll(entry => entry.UserId == id);
        foreach (var (keyId, hash) in codes)
        {
            _recoveryCodes.Add((id, new RecoveryCode(++_lastCodeId, keyId, hash, null)));
        }
    }

    private InMemoryTokenStore Tokens => _tokens ?? throw new InvalidOperationException("No token store is attached to these users.");

    private static bool IsActiveAdministrator(User user) => user.IsAdmin && user.IsActive;

    /// <summary>The id of the user with this username, without regard to case; <c>null</c> when there is none.</summary>
    internal long? IdOf(string username)
    {
        lock (_lock)
        {
            return _users.Values.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase))?.Id;
        }
    }

    /// <summary>The owner columns a token lookup joins in; <c>null</c> when the user is gone.</summary>
    internal TokenOwner? OwnerOf(long id)
    {
        lock (_lock)
        {
            return _users.TryGetValue(id, out var user) ? new TokenOwner(user.Id, user.Username, user.IsAdmin, user.IsActive) : null;
        }
    }
}

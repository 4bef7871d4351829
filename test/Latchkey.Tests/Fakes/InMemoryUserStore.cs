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
    private long _lastId;
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
            Tokens.DeleteOwnedBy(id);
            _audit!.Append(audit);
            return Task.FromResult(new UserWriteOutcome(user));
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

using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Tests.Fakes;

/// <summary>Users in memory: increasing ids, usernames unique without regard to case.</summary>
public sealed class InMemoryUserStore : IUserStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, User> _users = [];
    private long _lastId;

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

    public Task<bool> SetPasswordHashAsync(long id, string passwordHash, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(id, out var user))
            {
                return Task.FromResult(false);
            }

            _users[id] = user with { PasswordHash = passwordHash };
            return Task.FromResult(true);
        }
    }

    /// <summary>What an administrator blocking someone does to the row (the contract has no write for it yet).</summary>
    public void Block(long id)
    {
        lock (_lock)
        {
            _users[id] = _users[id] with { State = UserStates.Blocked };
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

using Latchkey.Users;

namespace Latchkey.Stores;

/// <summary>Plain persistence of users. Usernames are unique, compared without regard to case.</summary>
public interface IUserStore
{
    Task<User?> FindAsync(long id, CancellationToken cancellationToken);

    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    /// <summary>Creates the user; <c>null</c> when the username is taken.</summary>
    Task<User?> CreateAsync(NewUser user, CancellationToken cancellationToken);

    Task<Page<User>> ListAsync(int page, int perPage, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the user's password hash; <c>false</c> when there is no such user.</summary>
    Task<bool> SetPasswordHashAsync(long id, string passwordHash, CancellationToken cancellationToken);
}

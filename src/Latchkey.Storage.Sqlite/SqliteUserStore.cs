using System.Data.Common;
using Dapper;
using Latchkey.Stores;
using Latchkey.Users;

namespace Latchkey.Storage.Sqlite;

/// <summary>Users in SQLite. The username column is <c>COLLATE NOCASE</c>, so uniqueness and lookups ignore case.</summary>
internal sealed class SqliteUserStore : IUserStore
{
    private const string Columns = "id, username, email, name, password_hash, is_admin, state, created_at";

    // DO NOTHING rather than catching a constraint violation: a taken name is an answer, not an error.
    private const string InsertSql = $"""
        INSERT INTO users (username, email, name, password_hash, is_admin, state, created_at)
        VALUES (@Username, @Email, @Name, @PasswordHash, @IsAdmin, @State, @CreatedAt)
        ON CONFLICT (username) DO NOTHING
        RETURNING {Columns}
        """;

    private readonly SqliteConnectionFactory _connections;

    public SqliteUserStore(SqliteConnectionFactory connections)
    {
        _connections = connections;
    }

    public async Task<User?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(
            new CommandDefinition($"SELECT {Columns} FROM users WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE username = @Username",
            new { Username = username },
            cancellationToken: cancellationToken));
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<User?> CreateAsync(NewUser user, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        User? created;
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            InsertSql,
            new
            {
                user.Username,
                user.Email,
                user.Name,
                user.PasswordHash,
                user.IsAdmin,
                State = UserStates.Active,
                CreatedAt = UnixTime.ToStore(user.CreatedAt),
            },
            transaction,
            cancellationToken: cancellationToken)))
        {
            created = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }

        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public async Task<Page<User>> ListAsync(int page, int perPage, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await SqlitePaging.ReadAsync(
            connection, "SELECT COUNT(*) FROM users", $"SELECT {Columns} FROM users ORDER BY id", null, page, perPage, Read, cancellationToken);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: cancellationToken));
    }

    public async Task<bool> SetPasswordHashAsync(long id, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @PasswordHash WHERE id = @Id",
            new { Id = id, PasswordHash = passwordHash },
            cancellationToken: cancellationToken));
        return changed == 1;
    }

    private static User Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Username = reader.GetString(1),
        Email = reader.IsDBNull(2) ? null : reader.GetString(2),
        Name = reader.IsDBNull(3) ? null : reader.GetString(3),
        PasswordHash = reader.GetString(4),
        IsAdmin = reader.GetInt64(5) != 0,
        State = reader.GetString(6),
        CreatedAt = UnixTime.FromStore(reader.GetInt64(7)),
    };
}

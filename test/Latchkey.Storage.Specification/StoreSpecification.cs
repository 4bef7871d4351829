using System.Security.Cryptography;
using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;

namespace Latchkey.Storage.Specification;

/// <summary>
/// What every store specification shares: the factory a store's test project implements, a fixed clock, and
/// small builders. Everything goes through the store interfaces, so the same suites judge any provider.
/// </summary>
public abstract class StoreSpecification
{
    /// <summary>A fixed instant with a non-zero millisecond part, so that lost or invented precision shows.</summary>
    protected static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    protected static CancellationToken Cancel => CancellationToken.None;

    /// <summary>A fresh, migrated, empty database, and every store over it. Called once or more per test.</summary>
    protected abstract Task<StoreUnderTest> CreateStoresAsync();

    protected static async Task<User> CreateUserAsync(StoreUnderTest stores, string username = "ada", bool isAdmin = false)
        => await stores.Users.CreateAsync(new NewUser(username, $"{username}@example.com", $"The {username}", "pbkdf2$" + username, isAdmin, T0), Cancel)
            ?? throw new InvalidOperationException($"The user {username} could not be created.");

    protected static NewToken NewToken(
        long userId,
        string name = "token",
        TokenKind kind = TokenKind.Personal,
        DateTimeOffset? createdAt = null,
        DateTimeOffset? expiresAt = null,
        long? parentId = null,
        string origin = TokenOrigins.Native,
        IReadOnlyList<string>? scopes = null) => new()
        {
            PublicId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            UserId = userId,
            Kind = kind,
            Name = name,
            Scopes = scopes ?? ["read_api"],
            CreatedAt = createdAt ?? T0,
            ExpiresAt = expiresAt,
            Hash = new TokenHash(RandomNumberGenerator.GetBytes(TokenHash.Size)),
            KeyId = "k1",
            ParentId = parentId,
            Origin = origin,
        };

    protected static AuditEntry Audit(string action = AuditActions.TokenCreated, long? tokenId = null, long? actor = null)
        => new(action, T0, actor, tokenId);

    /// <summary>Inserts with no constraints and returns the token as stored.</summary>
    protected static async Task<PersonalAccessToken> InsertAsync(StoreUnderTest stores, NewToken token)
    {
        var outcome = await stores.Tokens.InsertAsync(token, InsertConstraints.None(T0), Audit(), Cancel);
        return outcome.Token ?? throw new InvalidOperationException($"The insert was refused: {outcome.Refusal}.");
    }

    protected static async Task<PersonalAccessToken> InsertAsync(StoreUnderTest stores, long userId, string name = "token")
        => await InsertAsync(stores, NewToken(userId, name));

    protected static async Task<PersonalAccessToken> RequireAsync(StoreUnderTest stores, long id)
        => await stores.Tokens.FindAsync(id, Cancel) ?? throw new InvalidOperationException($"Token {id} is missing.");

    /// <summary>The whole audit log, newest first.</summary>
    protected static async Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(StoreUnderTest stores)
        => [.. (await stores.Audit.QueryAsync(new AuditQuery { PerPage = 10_000 }, Cancel)).Items.Select(item => item.Entry)];

    /// <summary>The ids a query finds, all on one page, in the order the store gives.</summary>
    protected static async Task<long[]> IdsAsync(StoreUnderTest stores, TokenQuery query)
        => [.. (await stores.Tokens.QueryAsync(query with { Page = 1, PerPage = 1000 }, Cancel)).Items.Select(token => token.Id)];

    protected static void AssertSameToken(PersonalAccessToken expected, PersonalAccessToken? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.PublicId, actual.PublicId);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.Scopes, actual.Scopes);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.LastUsedAt, actual.LastUsedAt);
        Assert.Equal(expected.LastUsedIps, actual.LastUsedIps);
        Assert.Equal(expected.RevokedAt, actual.RevokedAt);
        Assert.Equal(expected.FamilyId, actual.FamilyId);
        Assert.Equal(expected.PreviousId, actual.PreviousId);
        Assert.Equal(expected.Rotated, actual.Rotated);
        Assert.Equal(expected.RotatedItself, actual.RotatedItself);
        Assert.Equal(expected.ParentId, actual.ParentId);
        Assert.Equal(expected.Origin, actual.Origin);
        Assert.Equal(expected.Attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal), actual.Attributes.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    /// <summary>Runs <paramref name="count"/> calls truly at once (each on its own thread), not one after another.</summary>
    protected static async Task<T[]> RaceAsync<T>(int count, Func<int, Task<T>> call)
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, count)
            .Select(i => Task.Factory.StartNew(() => { start.Wait(); return call(i); }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }
}

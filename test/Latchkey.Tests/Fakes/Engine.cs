using Latchkey.Changes;
using Latchkey.Policy;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Latchkey.Tests.Fakes;

/// <summary>The engine's services over in-memory stores, with the few helpers every test needs.</summary>
public sealed class Engine
{
    public const string ClientIp = "198.51.100.7";

    private readonly IOptions<LatchkeyOptions> _options;
    private readonly IOptionsMonitor<TokenPolicyOptions> _policyOptions;

    internal Engine(
        IOptions<LatchkeyOptions> options,
        IOptionsMonitor<TokenPolicyOptions> policyOptions,
        ScopeCatalog catalog,
        TokenKeyRing keys,
        ManualTimeProvider time,
        InMemoryUserStore users,
        InMemoryTokenStore tokens,
        InMemoryAuditStore audit)
    {
        _options = options;
        _policyOptions = policyOptions;
        Options = options.Value;
        Catalog = catalog;
        Keys = keys;
        Time = time;
        Users = users;
        Tokens = tokens;
        Audit = audit;
        Hasher = new TokenHasher(keys);
        Policies = new TokenPolicyProvider(policyOptions, catalog, Microsoft.Extensions.Options.Options.Create(new TokenPolicyNamesOptions()));
        Feed = new InProcessTokenChangeFeed();
        Cache = new TokenCache(options, Feed, time);
        Usage = new TokenUsageRecorder(tokens, options);
        Manager = new TokenManager(tokens, users, Hasher, Policies, catalog, Cache, Feed, Usage, options, time);
        Validator = new TokenValidator(tokens, Hasher, Cache, Usage, catalog, time, NullLogger<TokenValidator>.Instance);
        PasswordHasher = new PasswordHasher<User>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = PasswordIterations }));
        Protector = new FakeSecretProtector();
        TwoFactor = new TwoFactorManager(users, Protector, Hasher, PasswordHasher, time);
        UserManager = new UserManager(users, audit, Manager, Feed, Hasher, PasswordHasher, time, TwoFactor, TwoFactorPolicy);
    }

    /// <summary>The lowest cost the server accepts: tests hash many passwords.</summary>
    public const int PasswordIterations = PasswordHashingOptions.MinimumIterations;

    public LatchkeyOptions Options { get; }

    public ScopeCatalog Catalog { get; }

    public TokenKeyRing Keys { get; }

    public ManualTimeProvider Time { get; }

    public InMemoryUserStore Users { get; }

    public InMemoryTokenStore Tokens { get; }

    public InMemoryAuditStore Audit { get; }

    public TokenHasher Hasher { get; }

    public TokenPolicyProvider Policies { get; }

    public InProcessTokenChangeFeed Feed { get; }

    public TokenCache Cache { get; }

    public TokenUsageRecorder Usage { get; }

    public TokenManager Manager { get; }

    public TokenValidator Validator { get; }

    public PasswordHasher<User> PasswordHasher { get; }

    public UserManager UserManager { get; }

    public FakeSecretProtector Protector { get; }

    public TwoFactorManager TwoFactor { get; }

    /// <summary>The two-factor policy, changeable during a test as a configuration reload would.</summary>
    public MutableOptionsMonitor<TwoFactorOptions> TwoFactorPolicy { get; } = new(new TwoFactorOptions());

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The same data and clock served by a fresh process with other hashing keys (a restart after a key change).</summary>
    public Engine RestartWith(TokenKeyRing keys) => new(_options, _policyOptions, Catalog, keys, Time, Users, Tokens, Audit);

    public async Task<User> CreateUserAsync(string username, bool isAdmin = false)
    {
        var user = await Users.CreateAsync(new NewUser(username, $"{username}@example.test", username, "not-a-real-hash", isAdmin, Now), CancellationToken.None);
        return user ?? throw new InvalidOperationException($"User {username} exists.");
    }

    /// <summary>Blocks a user as an administrator would.</summary>
    public async Task BlockAsync(User user)
    {
        var result = await UserManager.BlockAsync(TokenActor.System, user.Id, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error?.Message);
    }

    /// <summary>A user acting with all of their rights, as through a sign-in session.</summary>
    public static TokenActor ActorFor(User user, string? ipAddress = ClientIp) => new(user.Id, user.IsAdmin, ScopeSet.Full, null, ipAddress);

    /// <summary>Someone acting with a personal access token, so with that token's scopes only.</summary>
    public static TokenActor ActorFor(AuthenticatedToken token, string? ipAddress = ClientIp) => TokenActor.From(token, ipAddress);

    public Task<Result<IssuedToken>> CreateAsync(User user, CreateTokenRequest request) => Manager.CreateAsync(ActorFor(user), request, CancellationToken.None);

    /// <summary>Issues a token that must succeed.</summary>
    public async Task<IssuedToken> IssueAsync(User user, string name = "ci", IReadOnlyList<string>? scopes = null, TokenExpiry? expiry = null)
    {
        var result = await CreateAsync(user, new CreateTokenRequest { Name = name, Scopes = scopes ?? ["api"], Expiry = expiry ?? TokenExpiry.Default });
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    public ValueTask<TokenValidationResult> ValidateAsync(string? secret, string? clientIp = ClientIp)
        => Validator.ValidateAsync(secret, TokenUse.By(clientIp), CancellationToken.None);

    /// <summary>Validates a token that must be accepted and returns what the validator vouches for.</summary>
    public async Task<AuthenticatedToken> AuthenticateAsync(string secret, string? clientIp = ClientIp)
    {
        var result = await ValidateAsync(secret, clientIp);
        return result.Token ?? throw new InvalidOperationException($"Expected the token to be accepted, but it was refused as {result.Failure}.");
    }

    public async Task<PersonalAccessToken> GetAsync(User actor, long id)
    {
        var result = await Manager.GetAsync(ActorFor(actor), id, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }
}

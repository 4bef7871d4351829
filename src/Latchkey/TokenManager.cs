using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Latchkey.Auditing;
using Latchkey.Changes;
using Latchkey.Policy;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.Extensions.Options;

namespace Latchkey;

/// <summary>
/// Issues, lists, changes, rotates and revokes tokens — the only writer of tokens. Every operation is judged
/// for a <see cref="TokenActor"/>: a token outside the actor's reach (someone else's, unless they are an
/// administrator reaching everyone's) or view (a session, to an API that knows only PATs) is invisible to them, and
/// answers <see cref="TokenErrorCode.NotFound"/> (never "forbidden", which would confirm it exists).
/// Every write that changes how a token authenticates is published on the <see cref="ITokenChangeFeed"/> once it
/// committed, so every node's cache (this one's first) drops it.
/// </summary>
public sealed class TokenManager
{
    private static readonly TokenError NameTaken = new(TokenErrorCode.NameTaken, "A token with this name already exists.", "name");
    private static readonly TokenError AlreadyRotated = new(TokenErrorCode.AlreadyRotated, "The token was already rotated; its replacement went to the request that rotated it.");

    /// <summary>The details of the audit entry of <see cref="RevokeByValueAsync"/>.</summary>
    public const string RevokedByValue = "revoked by value";

    private const int ListAllPageSize = 100;

    private readonly ITokenStore _tokens;
    private readonly IUserStore _users;
    private readonly TokenHasher _hasher;
    private readonly TokenPolicyProvider _policies;
    private readonly ScopeCatalog _catalog;
    private readonly TokenCache _cache;
    private readonly ITokenChangeFeed _changes;
    private readonly TokenUsageRecorder _usage;
    private readonly LatchkeyOptions _options;
    private readonly TimeProvider _time;

    public TokenManager(
        ITokenStore tokens,
        IUserStore users,
        TokenHasher hasher,
        TokenPolicyProvider policies,
        ScopeCatalog catalog,
        TokenCache cache,
        ITokenChangeFeed changes,
        TokenUsageRecorder usage,
        IOptions<LatchkeyOptions> options,
        TimeProvider time)
    {
        _tokens = tokens;
        _users = users;
        _hasher = hasher;
        _policies = policies;
        _catalog = catalog;
        _cache = cache;
        _changes = changes;
        _usage = usage;
        _options = options.Value;
        _time = time;
    }

    public async Task<Result<IssuedToken>> CreateAsync(TokenActor actor, CreateTokenRequest request, CancellationToken cancellationToken)
    {
        var now = Now();
        var (plan, refusals) = await JudgeAsync(actor, request, now, cancellationToken);
        if (refusals.Count > 0)
        {
            return refusals[0];
        }

        var policy = _policies.Get(request.Origin);
        var (secret, token) = NewToken(policy, plan.OwnerId, TokenKind.Personal, request.Name!, request.Description, plan.Scopes, now, plan.ExpiresAt, request.Origin, request.Attributes);
        var outcome = await _tokens.InsertAsync(token, policy.Constraints(now), AuditEntry.For(AuditActions.TokenCreated, actor, now, subject: plan.OwnerId), cancellationToken);
        return outcome.Refusal switch
        {
            InsertRefusal.LimitReached => new TokenError(TokenErrorCode.LimitReached, $"Too many tokens ({policy.Options.MaxTokensPerUser}) already exist for this user.")
            {
                Limit = policy.Options.MaxTokensPerUser,
            },
            InsertRefusal.NameTaken => NameTaken,
            _ => new IssuedToken(outcome.Token!, secret),
        };
    }

    /// <summary>
    /// Every refusal <see cref="CreateAsync"/> would give for this request, without creating anything: name,
    /// description, each scope at fault and the expiry at once, for forms that mark all their fields together.
    /// Empty when the create would be attempted; a name taken or a cap reached is only known by the create itself,
    /// inside its transaction.
    /// </summary>
    public async Task<IReadOnlyList<TokenError>> ValidateCreateAsync(TokenActor actor, CreateTokenRequest request, CancellationToken cancellationToken)
        => (await JudgeAsync(actor, request, Now(), cancellationToken)).Refusals;

    /// <summary>A sign-in session: a token with all of the user's rights that lives <see cref="LatchkeyOptions.SessionLifetime"/>.</summary>
    public Task<IssuedToken> CreateSessionAsync(User user, string? ipAddress, CancellationToken cancellationToken)
        => CreateSessionAsync(user, "session", [ScopeCatalog.FullAccess], _options.SessionLifetime, ipAddress, cancellationToken);

    /// <summary>
    /// A session limited to <paramref name="scopes"/> for <paramref name="lifetime"/>, e.g. one that can only enrol in
    /// two-factor authentication (<see cref="Users.TwoFactorManager.EnrolmentScope"/>).
    /// </summary>
    public async Task<IssuedToken> CreateSessionAsync(User user, string name, IReadOnlyList<string> scopes, TimeSpan lifetime, string? ipAddress, CancellationToken cancellationToken)
    {
        var now = Now();
        var policy = _policies.Default;
        var (secret, token) = NewToken(policy, user.Id, TokenKind.Session, name, null, scopes, now, now + lifetime, TokenOrigins.Session, null);
        var actor = new TokenActor(user.Id, user.IsAdmin, ScopeSet.Full, null, ipAddress);
        var outcome = await _tokens.InsertAsync(token, InsertConstraints.None(now), AuditEntry.For(AuditActions.SessionCreated, actor, now, subject: user.Id), cancellationToken);
        return new IssuedToken(outcome.Token!, secret);
    }

    /// <summary>
    /// Exchanges a personal access token for a short-lived access token with the same scopes (OAuth client
    /// credentials). It never outlives its parent and is revoked with it.
    /// </summary>
    public async Task<Result<IssuedToken>> ExchangeAsync(PersonalAccessToken parent, TimeSpan lifetime, string? ipAddress, CancellationToken cancellationToken)
    {
        var now = Now();
        if (!parent.IsActiveAt(now) || parent.Kind != TokenKind.Personal)
        {
            return new TokenError(TokenErrorCode.Inactive, "The token is revoked or expired.");
        }

        var expires = now + lifetime;
        if (parent.ExpiresAt is { } parentExpires && parentExpires < expires)
        {
            expires = parentExpires;
        }

        var policy = _policies.Get(parent.Origin);
        var (secret, token) = NewToken(policy, parent.UserId, TokenKind.AccessToken, parent.Name, null, parent.Scopes, now, expires, parent.Origin, null);
        token = token with { ParentId = parent.Id };
        var actor = new TokenActor(parent.UserId, false, ScopeSet.Full, parent.Id, ipAddress);
        var outcome = await _tokens.InsertAsync(token, InsertConstraints.None(now), AuditEntry.For(AuditActions.TokenCreated, actor, now, subject: parent.UserId, details: "access token"), cancellationToken);
        return new IssuedToken(outcome.Token!, secret);
    }

    public async Task<Result<PersonalAccessToken>> GetAsync(TokenActor actor, long id, CancellationToken cancellationToken)
    {
        var token = await FindVisibleAsync(actor, id, cancellationToken);
        return token is null ? TokenError.NotFound : _usage.Overlay(token);
    }

    /// <summary>
    /// The token the request authenticated with (<c>GET …/self</c>). It is answered from the validated-token cache
    /// without touching the store: the request has just been validated with this very entry, and every change to
    /// the token invalidates it.
    /// </summary>
    public async Task<Result<PersonalAccessToken>> GetCurrentAsync(AuthenticatedToken token, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(token.TokenId, out var entry))
        {
            return entry.Describe();
        }

        var stored = await _tokens.FindAsync(token.TokenId, cancellationToken);
        return stored is null ? TokenError.NotFound : _usage.Overlay(stored);
    }

    public async Task<Result<PersonalAccessToken>> GetByPublicIdAsync(TokenActor actor, string publicId, CancellationToken cancellationToken)
    {
        var token = await _tokens.FindByPublicIdAsync(publicId, cancellationToken);
        return token is not null && actor.Sees(token) ? _usage.Overlay(token) : TokenError.NotFound;
    }

    /// <summary>
    /// Lists tokens. An actor who does not reach everyone's only ever sees their own, and only those of their view,
    /// whatever the query asks.
    /// </summary>
    public async Task<Page<PersonalAccessToken>> ListAsync(TokenActor actor, TokenQuery query, CancellationToken cancellationToken)
    {
        var page = await _tokens.QueryAsync(await PrepareAsync(actor, query, cancellationToken), cancellationToken);
        return page with { Items = page.Items.Select(_usage.Overlay).ToArray() };
    }

    /// <summary>
    /// <see cref="ListAsync"/> with each token's owner, for administrators' lists across users (an actor who does not
    /// reach everyone's gets their own, as there).
    /// </summary>
    public async Task<Page<OwnedToken>> ListWithOwnersAsync(TokenActor actor, TokenQuery query, CancellationToken cancellationToken)
    {
        var page = await _tokens.QueryWithOwnersAsync(await PrepareAsync(actor, query, cancellationToken), cancellationToken);
        return page with { Items = page.Items.Select(owned => owned with { Token = _usage.Overlay(owned.Token) }).ToArray() };
    }

    /// <summary>
    /// Every token <see cref="ListAsync"/> would list over all its pages, read a page at a time, for APIs whose lists
    /// are not paged (Sanctum, Unleash, SailPoint). <see cref="TokenQuery.Page"/> and <see cref="TokenQuery.PerPage"/> are ignored.
    /// </summary>
    public async IAsyncEnumerable<PersonalAccessToken> ListAllAsync(TokenActor actor, TokenQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var number = 1; ; number++)
        {
            var page = await ListAsync(actor, query with { Page = number, PerPage = ListAllPageSize }, cancellationToken);
            foreach (var token in page.Items)
            {
                yield return token;
            }

            if (page.Items.Count < ListAllPageSize || number >= page.TotalPages)
            {
                yield break;
            }
        }
    }

    public async Task<Result<PersonalAccessToken>> UpdateAsync(TokenActor actor, long id, UpdateTokenRequest request, CancellationToken cancellationToken)
    {
        // Sessions and derived access tokens live as long as the server decided (a derived one never outlives its
        // parent); as with rotation, only personal access tokens can be changed.
        var token = await FindVisibleAsync(actor, id, cancellationToken);
        if (token is null || token.Kind != TokenKind.Personal)
        {
            return TokenError.NotFound;
        }

        var now = Now();
        if (!token.IsActiveAt(now))
        {
            return Inactive(token, "cannot be changed");
        }

        // Judged by the policy the token was made under, whichever API the change comes through: otherwise a
        // dialect without a maximum lifetime could give a native token one the native API refuses.
        var policy = _policies.Get(token.Origin);
        if (request.Name is not null && policy.CheckName(request.Name) is { } nameError)
        {
            return nameError;
        }

        if (request.DescriptionSet && policy.CheckDescription(request.Description) is { } descriptionError)
        {
            return descriptionError;
        }

        IReadOnlyList<string>? scopes = null;
        if (request.Scopes is not null)
        {
            var owner = await _users.FindAsync(token.UserId, cancellationToken);
            var resolved = policy.ResolveScopes(request.Scopes, actor.Granted, owner?.IsAdmin ?? false);
            if (!resolved.Succeeded)
            {
                return resolved.Error;
            }

            if (!_catalog.Expand(token.Scopes).Covers(_catalog.Expand(resolved.Value)))
            {
                return TokenError.Invalid(TokenErrorReason.ScopesNotNarrowed, "scopes", "scopes can only be narrowed; rotate or create a new token for broader access.");
            }

            scopes = resolved.Value;
        }

        DateTimeOffset? expiresAt = null;
        if (request.Expiry is { } expiry)
        {
            var resolved = policy.ResolveExpiry(expiry, now);
            if (!resolved.Succeeded)
            {
                return resolved.Error;
            }

            expiresAt = resolved.Value;
        }

        // Every kind of change, not only scopes: a narrow token must not extend, rename or re-date a broader one.
        if (policy.CheckMayChange(actor.Granted, token.Scopes) is { } ceilingError)
        {
            return ceilingError;
        }

        var changes = new TokenChanges
        {
            Name = request.Name,
            Description = request.Description,
            DescriptionChanged = request.DescriptionSet,
            Scopes = scopes,
            ExpiresAt = expiresAt,
            ExpiresAtChanged = request.Expiry is not null,
            Attributes = request.Attributes,
        };
        // A rename onto a name in use is refused by the store, inside the update's transaction: a check made here
        // first would let two concurrent renames both take the name.
        var outcome = await _tokens.UpdateAsync(id, changes, policy.UpdateConstraints(now), AuditEntry.For(AuditActions.TokenUpdated, actor, now, id, token.UserId), cancellationToken);
        if (outcome.Refusal == UpdateRefusal.NameTaken)
        {
            return NameTaken;
        }

        // Access tokens derived from this one may have had their expiry brought forward or their scopes narrowed
        // with it; their cached entries still hold the old values.
        _changes.Publish(TokenChange.Tokens(outcome.CappedIds.Append(id)));
        return outcome.Token is null ? TokenError.NotFound : _usage.Overlay(outcome.Token);
    }

    /// <summary>
    /// Revokes a token and issues a new one with the same name, description and scopes. A token that was already
    /// rotated is not rotated again and nothing is revoked (<see cref="TokenErrorCode.AlreadyRotated"/>); of
    /// concurrent rotations exactly one wins and the others get <see cref="TokenErrorCode.Conflict"/>.
    /// </summary>
    public async Task<Result<IssuedToken>> RotateAsync(TokenActor actor, long id, TokenExpiry? expiry, CancellationToken cancellationToken)
    {
        var token = await FindVisibleAsync(actor, id, cancellationToken);
        if (token is null || token.Kind != TokenKind.Personal)
        {
            return TokenError.NotFound;
        }

        if (token.Rotated)
        {
            // A valid credential of the owner asking again (a retry whose answer was lost, a second tab): refusing is
            // enough. Reuse is judged only on the rotated-away secret itself (JudgeRotatedCredentialAsync).
            return AlreadyRotated;
        }

        var now = Now();
        if (!token.IsActiveAt(now))
        {
            return Inactive(token, "cannot be rotated");
        }

        var policy = _policies.Get(token.Origin);
        if (policy.CheckMayChange(actor.Granted, token.Scopes) is { } ceilingError)
        {
            return ceilingError;
        }

        var expiresAt = policy.ResolveRotationExpiry(token, expiry, now);
        if (!expiresAt.Succeeded)
        {
            return expiresAt.Error;
        }

        var (secret, replacement) = NewToken(policy, token.UserId, token.Kind, token.Name, token.Description, token.Scopes, now, expiresAt.Value, token.Origin, token.Attributes);
        var rotatedItself = actor.TokenId == id;
        var outcome = await _tokens.RotateAsync(id, replacement, rotatedItself, AuditEntry.For(AuditActions.TokenRotated, actor, now, id, token.UserId), cancellationToken);
        _changes.Publish(TokenChange.Tokens(outcome.RevokedIds.Append(id)));
        return outcome.Replacement is null
            ? new TokenError(TokenErrorCode.Conflict, "The token was rotated or revoked by another request; nothing was changed.")
            : new IssuedToken(outcome.Replacement, secret);
    }

    /// <summary>
    /// Judges a rotated-away secret presented as the credential of a rotate endpoint. A token that rotated itself
    /// less than <see cref="TokenPolicyOptions.RotationRetryWindow"/> ago is a client retrying a rotation whose
    /// answer it lost: <see cref="TokenErrorCode.AlreadyRotated"/>, nothing revoked. Anything else is a reuse —
    /// someone holds a copy that should be dead — so, as GitLab does, every token of the family is revoked (the
    /// thief's and the owner's current one), <c>token.reuse_detected</c> is audited with the address, and the answer
    /// is <see cref="TokenErrorCode.ReuseDetected"/>.
    /// </summary>
    public async Task<TokenError> JudgeRotatedCredentialAsync(long tokenId, string? ipAddress, CancellationToken cancellationToken)
    {
        var token = await _tokens.FindAsync(tokenId, cancellationToken);
        if (token?.RotatedAt is not { } rotatedAt)
        {
            // Pruned since, or not a rotated token after all: an ordinary refusal.
            return TokenError.NotFound;
        }

        var now = Now();
        if (token.RotatedItself && now - rotatedAt <= _policies.Get(token.Origin).Options.RotationRetryWindow)
        {
            return AlreadyRotated;
        }

        var audit = new AuditEntry(AuditActions.TokenReuseDetected, now, null, token.Id, token.UserId, ipAddress);
        var revoked = await _tokens.RevokeFamilyAsync(token.FamilyId, now, audit, cancellationToken);
        _changes.Publish(TokenChange.Tokens(revoked));
        return new TokenError(TokenErrorCode.ReuseDetected, "A rotated-away token was presented; every token descended from it has been revoked.");
    }

    /// <summary>Revokes a token (and what derives from it). Succeeds for a token that is already revoked.</summary>
    public async Task<Result<PersonalAccessToken>> RevokeAsync(TokenActor actor, long id, CancellationToken cancellationToken)
    {
        var token = await FindVisibleAsync(actor, id, cancellationToken);
        if (token is null)
        {
            return TokenError.NotFound;
        }

        var now = Now();
        var revoked = await _tokens.RevokeAsync(id, now, AuditEntry.For(AuditActions.TokenRevoked, actor, now, id, token.UserId), cancellationToken);
        _changes.Publish(TokenChange.Tokens(revoked.Append(id)));
        return token.IsRevoked ? token : token with { RevokedAt = now };
    }

    /// <summary>
    /// Finds the token a secret belongs to, with its owner (a leaked token: whose is it, before revoking it). Malformed
    /// secrets, unknown ones and tokens outside the actor's reach or view all give the same
    /// <see cref="TokenErrorCode.NotFound"/>, so the call cannot be used to test whether a string is a live token.
    /// The answer never holds the secret.
    /// </summary>
    public async Task<Result<OwnedToken>> FindBySecretAsync(TokenActor actor, string? secret, CancellationToken cancellationToken)
    {
        var stored = await FindStoredAsync(secret, cancellationToken);
        return stored is not null && actor.Sees(stored.Token) ? new OwnedToken(_usage.Overlay(stored.Token), stored.Owner) : TokenError.NotFound;
    }

    /// <summary>
    /// Revokes a token given its secret (a leaked token). Unknown tokens and other users' tokens give the same
    /// <see cref="TokenErrorCode.NotFound"/>, so the call cannot be used to test whether a string is a live token.
    /// </summary>
    public async Task<Result<PersonalAccessToken>> RevokeBySecretAsync(TokenActor actor, string? secret, CancellationToken cancellationToken)
    {
        var found = await FindBySecretAsync(actor, secret, cancellationToken);
        return found.Succeeded ? await RevokeAsync(actor, found.Value.Token.Id, cancellationToken) : found.Error;
    }

    /// <summary>
    /// Revokes the token <paramref name="secret"/> belongs to, for whoever presents it (RFC 7009; as GitHub lets anyone
    /// who finds a leaked token revoke it): holding the value is all the right it takes. What derives from the token
    /// is revoked with it, as <see cref="RevokeAsync"/> does. Audited as <c>token.revoked</c> with no actor (nobody
    /// authenticated), the caller's address and the details <see cref="RevokedByValue"/>. A malformed, unknown,
    /// expired or already revoked value writes nothing. The answer is only for the caller's own records and tests: an
    /// endpoint must answer every well-formed request alike, so that revoking is no way to learn whether a token exists.
    /// </summary>
    /// <returns>Whether a token was revoked now.</returns>
    public async Task<bool> RevokeByValueAsync(string? secret, string? ipAddress, CancellationToken cancellationToken)
    {
        var token = (await FindStoredAsync(secret, cancellationToken))?.Token;
        var now = Now();
        if (token is null || !token.IsActiveAt(now))
        {
            return false;
        }

        var audit = new AuditEntry(AuditActions.TokenRevoked, now, ActorUserId: null, token.Id, token.UserId, ipAddress, RevokedByValue);
        var revoked = await _tokens.RevokeAsync(token.Id, now, audit, cancellationToken);
        _changes.Publish(TokenChange.Tokens(revoked.Append(token.Id)));
        return true;
    }

    /// <summary>Deletes tokens expired or revoked longer than the retention period.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken)
        => _tokens.PruneAsync(Now() - _options.Retention, cancellationToken);

    /// <summary>
    /// Revokes every personal access token of a user, and the access tokens derived from them (a leak of unknown
    /// extent). Sessions are left to sign-out, a password change or blocking. The caller decided the actor may.
    /// </summary>
    public async Task<int> RevokeUserTokensAsync(TokenActor actor, long userId, CancellationToken cancellationToken)
    {
        var now = Now();
        var revoked = await _tokens.RevokeAllAsync(userId, TokenKind.Personal, now, AuditEntry.For(AuditActions.UserTokensRevoked, actor, now, subject: userId), cancellationToken);
        _changes.Publish(TokenChange.Tokens(revoked));
        return revoked.Count;
    }

    private async Task<(CreatePlan Plan, IReadOnlyList<TokenError> Refusals)> JudgeAsync(TokenActor actor, CreateTokenRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ownerId = request.UserId ?? actor.UserId;
        if (ownerId != actor.UserId && !actor.ReachesEveryone)
        {
            return (default, [new TokenError(TokenErrorCode.Forbidden, "Only administrators can create tokens for other users.")]);
        }

        var owner = await _users.FindAsync(ownerId, cancellationToken);
        if (owner is null)
        {
            return (default, [new TokenError(TokenErrorCode.NotFound, "User not found.", "user_id")]);
        }

        var policy = _policies.Get(request.Origin);
        List<TokenError> refusals = [];
        refusals.AddRange(new[] { policy.CheckName(request.Name), policy.CheckDescription(request.Description) }.OfType<TokenError>());
        refusals.AddRange(policy.CheckScopes(request.Scopes, actor.Granted, owner.IsAdmin, out var scopes));
        var expiry = policy.ResolveExpiry(request.Expiry, now);
        if (!expiry.Succeeded)
        {
            refusals.Add(expiry.Error);
        }

        return (new CreatePlan(owner.Id, scopes, expiry.Value), refusals);
    }

    // The query as the actor may run it (whose tokens, which kinds, judged now), with every last use written first
    // when the result depends on it.
    private async Task<TokenQuery> PrepareAsync(TokenActor actor, TokenQuery query, CancellationToken cancellationToken)
    {
        if (!actor.ReachesEveryone)
        {
            query = query with { UserId = actor.UserId };
        }

        if (actor.View != TokenView.Any)
        {
            query = query with { Kind = TokenKind.Personal, Revoked = actor.View == TokenView.PersonalUnrevoked ? false : query.Revoked };
        }

        query = query with { Now = Now() };
        if (query.DependsOnLastUse && _usage.PendingCount > 0)
        {
            // The store only knows usage up to the last batch; filtering or sorting by last use must see it all.
            await _usage.FlushAsync(cancellationToken);
        }

        return query;
    }

    // The token a presented value belongs to: shape and checksum, keyed hash, store, and the id a Sanctum-style
    // "{id}|{token}" names, as the validator checks them. Null for anything else.
    private async Task<StoredToken?> FindStoredAsync(string? secret, CancellationToken cancellationToken)
    {
        if (!TokenFormat.TryParse(secret, out var parsed) || !_hasher.TryHash(parsed, out var hash))
        {
            return null;
        }

        var stored = await _tokens.FindByHashAsync(hash, cancellationToken);
        if (stored is null || !TokenHasher.Matches(stored.Hash, hash) || parsed.ClaimedId is { } claimed && claimed != stored.Token.Id)
        {
            return null;
        }

        return stored;
    }

    private async Task<PersonalAccessToken?> FindVisibleAsync(TokenActor actor, long id, CancellationToken cancellationToken)
    {
        var token = await _tokens.FindAsync(id, cancellationToken);
        return token is not null && actor.Sees(token) ? token : null;
    }

    // A refusal to change a token that is no longer active, saying why: APIs word expired and revoked apart.
    private static TokenError Inactive(PersonalAccessToken token, string cannot)
        => new(TokenErrorCode.Inactive, $"The token is revoked or expired and {cannot}.")
        {
            Reason = token.IsRevoked ? TokenErrorReason.Revoked : TokenErrorReason.Expired,
        };

    private DateTimeOffset Now() => _time.GetStoreNow();

    private (string Secret, NewToken Token) NewToken(
        TokenPolicy policy,
        long userId,
        TokenKind kind,
        string name,
        string? description,
        IReadOnlyList<string> scopes,
        DateTimeOffset now,
        DateTimeOffset? expiresAt,
        string origin,
        IReadOnlyDictionary<string, string>? attributes)
    {
        var secret = TokenFormat.Generate(policy.Options.Prefix, _hasher.CurrentKeyId);
        return (secret, new NewToken
        {
            PublicId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            UserId = userId,
            Kind = kind,
            Name = name,
            Description = description,
            Scopes = scopes,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            Hash = _hasher.HashNew(secret),
            KeyId = _hasher.CurrentKeyId,
            Origin = origin,
            Attributes = attributes ?? new Dictionary<string, string>(),
        });
    }

    /// <summary>What a create would write, once every rule is satisfied.</summary>
    private readonly record struct CreatePlan(long OwnerId, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);
}

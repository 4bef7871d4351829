using Latchkey.Policy;
using Latchkey.Stores;
using Latchkey.Tokens;
using Microsoft.Extensions.Logging;

namespace Latchkey;

/// <summary>
/// The per-request check, top to bottom: shape and checksum (no I/O), keyed hash, cache or store, then revoked,
/// expired, owner and id checks against the clock. A cache hit does no I/O and no write (other nodes' changes reach
/// the cache through the change feed, off this path); last use is recorded in
/// memory and written in batches. It has no side effects: a rotated-away secret is refused like a revoked one and
/// reported as <see cref="TokenFailure.Rotated"/>; only a rotate endpoint acts on that (reuse detection).
/// </summary>
public sealed partial class TokenValidator
{
    private readonly ITokenStore _store;
    private readonly TokenHasher _hasher;
    private readonly TokenCache _cache;
    private readonly TokenUsageRecorder _usage;
    private readonly ScopeCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger<TokenValidator> _logger;

    public TokenValidator(
        ITokenStore store,
        TokenHasher hasher,
        TokenCache cache,
        TokenUsageRecorder usage,
        ScopeCatalog catalog,
        TimeProvider time,
        ILogger<TokenValidator> logger)
    {
        _store = store;
        _hasher = hasher;
        _cache = cache;
        _usage = usage;
        _catalog = catalog;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Judges <paramref name="presented"/> now. <paramref name="use"/> says who uses it from where: a use is
    /// recorded as the token's last use (in memory); <see cref="TokenUse.NotAUse"/> leaves no trace.
    /// </summary>
    public async ValueTask<TokenValidationResult> ValidateAsync(string? presented, TokenUse use, CancellationToken cancellationToken)
    {
        // 1. Shape and checksum: a typo or a random string never reaches the store.
        if (!TokenFormat.TryParse(presented, out var parsed))
        {
            return TokenValidationResult.Fail(TokenFailure.Malformed);
        }

        // 2. The keyed hash, under the key the token names.
        if (!_hasher.TryHash(parsed, out var hash))
        {
            return TokenValidationResult.Fail(TokenFailure.UnknownKey);
        }

        // 3. The cache (an entry younger than its maximum age), else the store.
        var now = _time.GetUtcNow();
        if (!_cache.TryGet(hash, now, out var entry))
        {
            entry = await LoadAsync(hash, now, cancellationToken);
            if (entry is null)
            {
                return Refuse(TokenFailure.Unknown, null);
            }
        }

        return Judge(entry, parsed.ClaimedId, now, use);
    }

    /// <summary>
    /// Judges <paramref name="presented"/> like <see cref="ValidateAsync"/> when this process validated it before and
    /// still caches it, so the verdict needs no store lookup; <c>null</c> otherwise (a miss, or not a token at all).
    /// Lets a caller refuse everything else from a client that is over a limit of failed attempts, hashing once.
    /// </summary>
    public TokenValidationResult? ValidateCached(string? presented, TokenUse use)
    {
        var now = _time.GetUtcNow();
        return TokenFormat.TryParse(presented, out var parsed) && _hasher.TryHash(parsed, out var hash) && _cache.TryGet(hash, now, out var entry)
            ? Judge(entry, parsed.ClaimedId, now, use)
            : null;
    }

    // 4. and 5., on an entry from the cache or the store.
    private TokenValidationResult Judge(CachedToken entry, long? claimedId, DateTimeOffset now, TokenUse use)
    {
        // 4. What the token is, judged now: revocation and expiry bite on the very next request.
        var token = entry.Token;
        if (claimedId is { } claimed && claimed != token.TokenId)
        {
            return Refuse(TokenFailure.IdMismatch, token.TokenId);
        }

        if (entry.Revoked)
        {
            return Refuse(entry.Stored.Rotated ? TokenFailure.Rotated : TokenFailure.Revoked, token.TokenId);
        }

        if (token.ExpiresAt is { } expires && expires <= now)
        {
            return Refuse(TokenFailure.Expired, token.TokenId);
        }

        if (!entry.OwnerActive)
        {
            return Refuse(TokenFailure.OwnerInactive, token.TokenId);
        }

        // 5. Last use, in memory, when this is a use at all.
        if (use.Records)
        {
            _usage.Record(entry, now, use.ClientAddress);
        }

        return new TokenValidationResult(token, TokenFailure.None);
    }

    private async Task<CachedToken?> LoadAsync(TokenHash hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var generation = _cache.Generation;
        var stored = await _store.FindByHashAsync(hash, cancellationToken);
        if (stored is null || !TokenHasher.Matches(stored.Hash, hash))
        {
            return null;
        }

        // A rotated-away token is only refused here. Revoking its family on any use let a CI job still holding the
        // old value, a stale tab or one request racing the rotation kill the fresh token; GitLab learnt the same
        // (gitlab-org/gitlab#418238) and keeps reuse detection to its rotate endpoints, as Latchkey does.
        var token = stored.Token;
        var entry = new CachedToken(
            new AuthenticatedToken
            {
                TokenId = token.Id,
                PublicId = token.PublicId,
                Kind = token.Kind,
                Name = token.Name,
                UserId = stored.Owner.Id,
                Username = stored.Owner.Username,
                IsAdmin = stored.Owner.IsAdmin,
                Scopes = token.Scopes,
                Granted = _catalog.Expand(token.Scopes),
                ExpiresAt = token.ExpiresAt,
                ParentId = token.ParentId,
                Origin = token.Origin,
            },
            stored.Hash,
            stored.Owner.IsActive,
            // Start from the last use still waiting to be written, not the stored one: otherwise the next record
            // would replace the pending one and lose its addresses.
            _usage.Overlay(token),
            now);
        _cache.Add(entry, generation);
        return entry;
    }

    private TokenValidationResult Refuse(TokenFailure failure, long? tokenId)
    {
        LogRefused(failure, tokenId);
        return TokenValidationResult.Fail(failure) with { RefusedTokenId = tokenId };
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Token refused: {Failure} (token id {TokenId})")]
    private partial void LogRefused(TokenFailure failure, long? tokenId);
}

namespace Latchkey.Policy;

/// <summary>
/// Decides whether a token may be issued or changed as asked: names, scopes (catalog, admin-only, the caller's
/// ceiling, this policy's allowed set), and lifetime. Nothing else decides "is this allowed".
/// </summary>
public sealed class TokenPolicy
{
    private readonly ScopeCatalog _catalog;

    public TokenPolicy(string name, TokenPolicyOptions options, ScopeCatalog catalog)
    {
        Name = name;
        Options = options;
        _catalog = catalog;
    }

    /// <summary>The latest instant a token can be given: the end of year 9999, to the millisecond the stores keep.</summary>
    public static readonly DateTimeOffset LatestExpiry = new(DateTimeOffset.MaxValue.UtcTicks - (DateTimeOffset.MaxValue.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public string Name { get; }

    public TokenPolicyOptions Options { get; }

    /// <summary>
    /// The scope ceiling for changes: a credential may change (rename, describe, re-scope, re-date) or rotate only a
    /// token whose scopes it covers, so a narrow token cannot extend or re-issue a broader one. Revoking is not
    /// judged by it: taking access away never grants any.
    /// </summary>
    public TokenError? CheckMayChange(ScopeSet ceiling, IReadOnlyList<string> tokenScopes)
        => ceiling.Covers(_catalog.Expand(tokenScopes))
            ? null
            : new TokenError(TokenErrorCode.Forbidden, "A token cannot change or rotate a token with broader scopes than its own.", "scopes");

    public TokenError? CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return TokenError.Invalid(TokenErrorReason.NameMissing, "name", "name is missing or empty.");
        }

        if (name.Length > Options.MaxNameLength)
        {
            return TokenError.Invalid(TokenErrorReason.NameTooLong, "name", $"name is too long (maximum is {Options.MaxNameLength} characters).") with
            {
                Limit = Options.MaxNameLength,
            };
        }

        return name.Any(char.IsControl)
            ? TokenError.Invalid(TokenErrorReason.NameInvalidCharacters, "name", "name must not contain control characters.")
            : null;
    }

    public TokenError? CheckDescription(string? description)
    {
        if (description is null || description.Length <= Options.MaxDescriptionLength)
        {
            return null;
        }

        return TokenError.Invalid(TokenErrorReason.DescriptionTooLong, "description", $"description is too long (maximum is {Options.MaxDescriptionLength} characters).") with
        {
            Limit = Options.MaxDescriptionLength,
        };
    }

    /// <summary>
    /// Checks requested scopes and returns them normalised (distinct, in request order), or the first refusal of
    /// <see cref="CheckScopes"/>. <paramref name="ceiling"/> is what the acting credential holds: a token can never
    /// mint a broader one.
    /// </summary>
    public Result<IReadOnlyList<string>> ResolveScopes(IReadOnlyList<string>? requested, ScopeSet ceiling, bool ownerIsAdmin)
    {
        var refusals = CheckScopes(requested, ceiling, ownerIsAdmin, out var scopes);
        return refusals.Count == 0 ? Result<IReadOnlyList<string>>.Ok(scopes) : refusals[0];
    }

    /// <summary>
    /// Every refusal of the requested scopes, each naming its <see cref="TokenError.Scope"/>: first the scopes that
    /// are unknown, not allowed or admin-only, in request order, then those beyond <paramref name="ceiling"/> — so a
    /// form can mark every scope at fault at once. <paramref name="scopes"/> is the normalised list.
    /// </summary>
    public IReadOnlyList<TokenError> CheckScopes(IReadOnlyList<string>? requested, ScopeSet ceiling, bool ownerIsAdmin, out IReadOnlyList<string> scopes)
    {
        var asked = requested is { Count: > 0 } ? requested : (IReadOnlyList<string>)Options.DefaultScopes.ToArray();
        var distinct = asked.Distinct().ToList();
        scopes = distinct;
        if (distinct.Count == 0)
        {
            return [TokenError.Invalid(TokenErrorReason.ScopesMissing, "scopes", "scopes is missing or empty.")];
        }

        var refusals = distinct.Select(scope => CheckScope(scope, ownerIsAdmin)).OfType<TokenError>().ToList();
        refusals.AddRange(distinct
            .Where(scope => refusals.TrueForAll(r => r.Scope != scope) && !ceiling.Covers(_catalog.Expand([scope])))
            .Select(scope => TokenError.Invalid(TokenErrorReason.ScopeBeyondCeiling, "scopes", "scopes cannot be broader than those of the token making the request.") with { Scope = scope }));
        return refusals;
    }

    /// <summary>Whether a token of this policy may carry <paramref name="scope"/> for its owner (the choices a form offers).</summary>
    public bool Allows(string scope, bool ownerIsAdmin) => CheckScope(scope, ownerIsAdmin) is null;

    private TokenError? CheckScope(string scope, bool ownerIsAdmin)
    {
        if (string.IsNullOrEmpty(scope) || !_catalog.Contains(scope))
        {
            return TokenError.Invalid(TokenErrorReason.ScopeUnknown, "scopes", $"scope '{scope}' does not exist.") with { Scope = scope };
        }

        if (Options.AllowedScopes.Count > 0 && !Options.AllowedScopes.Contains(scope))
        {
            return TokenError.Invalid(TokenErrorReason.ScopeNotAllowed, "scopes", $"scope '{scope}' is not allowed here; allowed: {string.Join(", ", Options.AllowedScopes)}.") with
            {
                Scope = scope,
                AllowedScopes = [.. Options.AllowedScopes],
            };
        }

        return _catalog.IsAdminOnly(scope) && !ownerIsAdmin
            ? TokenError.Invalid(TokenErrorReason.ScopeAdminOnly, "scopes", $"scope '{scope}' can only be given to administrators.") with { Scope = scope }
            : null;
    }

    /// <summary>Turns a requested expiry into the instant the token dies, or <c>null</c> for never.</summary>
    public Result<DateTimeOffset?> ResolveExpiry(TokenExpiry requested, DateTimeOffset now)
    {
        switch (requested.Kind)
        {
            // An operator who forbids never-expiring tokens overrides a dialect whose default is "never".
            case TokenExpiryKind.Default when Options.DefaultNeverExpires && Options.AllowNeverExpiring:
                return ResolveExpiry(TokenExpiry.Never(acknowledged: true), now);

            case TokenExpiryKind.Default:
                return Options.DefaultExpiresAtEndOfDay
                    ? new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero)
                    : Later(now, Options.DefaultLifetime);

            case TokenExpiryKind.Never:
                if (!Options.AllowNeverExpiring)
                {
                    return TokenError.Invalid(TokenErrorReason.NeverExpiringNotAllowed, "expires_at", "tokens that never expire are not allowed; give an expiry date.");
                }

                return requested.NeverAcknowledged
                    ? Result<DateTimeOffset?>.Ok(null)
                    : TokenError.Invalid(TokenErrorReason.NeverExpiringNotAcknowledged, "expires_at", "a token that never expires must be explicitly acknowledged.");

            default:
                var at = requested.At!.Value;
                if (at <= now)
                {
                    return TokenError.Invalid(TokenErrorReason.ExpiryInPast, "expires_at", "expires_at must be in the future.");
                }

                if (Options.MaximumLifetime is { } max && at > Later(now, max))
                {
                    var latest = Later(now, max);
                    return TokenError.Invalid(
                        TokenErrorReason.ExpiryBeyondMaximum,
                        "expires_at",
                        $"expires_at is beyond the maximum allowable lifetime ({FormatLifetime(max)}, until {latest.UtcDateTime:yyyy-MM-dd}).") with { LatestExpiry = latest };
                }

                return at;
        }
    }

    /// <summary>
    /// The expiry of a rotated token: as asked, or — when nothing is asked — <see cref="TokenPolicyOptions.RotationLifetime"/>
    /// when the policy sets one, else the same lifetime the old token had.
    /// </summary>
    public Result<DateTimeOffset?> ResolveRotationExpiry(Tokens.PersonalAccessToken old, TokenExpiry? requested, DateTimeOffset now)
    {
        if (requested is { } asked)
        {
            return ResolveExpiry(asked, now);
        }

        if (Options.RotationLifetime is { } rotation)
        {
            return Later(now, rotation);
        }

        if (old.ExpiresAt is not { } expires)
        {
            return ResolveExpiry(TokenExpiry.Never(acknowledged: true), now);
        }

        var lifetime = expires - old.CreatedAt;
        if (Options.MaximumLifetime is { } max && lifetime > max)
        {
            lifetime = max;
        }

        // A token made to expire at the end of time (allowed where a policy has no maximum) keeps its lifetime
        // only as far as the calendar goes.
        return Later(now, lifetime);
    }

    /// <summary>What the store must check atomically when it inserts a personal access token.</summary>
    public Stores.InsertConstraints Constraints(DateTimeOffset now) => new(Options.MaxTokensPerUser, Options.UniqueNamesPerUser, now);

    /// <summary>What the store must check atomically when it changes a personal access token (a rename).</summary>
    public Stores.UpdateConstraints UpdateConstraints(DateTimeOffset now) => new(Options.UniqueNamesPerUser, now);

    /// <summary><paramref name="now"/> + <paramref name="span"/>, or <see cref="LatestExpiry"/> when that would pass it.</summary>
    private static DateTimeOffset Later(DateTimeOffset now, TimeSpan span)
        => span.Ticks > LatestExpiry.UtcTicks - now.UtcTicks ? LatestExpiry : now + span;

    private static string FormatLifetime(TimeSpan span)
        => span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0 ? $"{span.TotalDays:0} days" : span.ToString();
}

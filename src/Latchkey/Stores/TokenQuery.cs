using Latchkey.Tokens;

namespace Latchkey.Stores;

/// <summary>A filtered, sorted, paged listing of tokens (GitLab's list filters).</summary>
public sealed record TokenQuery
{
    /// <summary>Only this user's tokens; <c>null</c> for everyone's (administrators).</summary>
    public long? UserId { get; init; }

    /// <summary>Only the tokens of the user with this username, without regard to case (none when there is no such user).</summary>
    public string? OwnerUsername { get; init; }

    public TokenKind Kind { get; init; } = TokenKind.Personal;

    /// <summary>Only tokens made through this API (for dialects that list only their own), or all.</summary>
    public string? Origin { get; init; }

    /// <summary><c>true</c>: not revoked and not expired at <see cref="Now"/>; <c>false</c>: the rest.</summary>
    public bool? Active { get; init; }

    public bool? Revoked { get; init; }

    /// <summary>Substring of the name, case-insensitive.</summary>
    public string? Search { get; init; }

    /// <summary>Exact name, case-sensitive.</summary>
    public string? Name { get; init; }

    public DateTimeOffset? CreatedBefore { get; init; }

    public DateTimeOffset? CreatedAfter { get; init; }

    public DateTimeOffset? LastUsedBefore { get; init; }

    public DateTimeOffset? LastUsedAfter { get; init; }

    /// <summary><c>true</c>: only tokens never used.</summary>
    public bool? NeverUsed { get; init; }

    public DateTimeOffset? ExpiresBefore { get; init; }

    public DateTimeOffset? ExpiresAfter { get; init; }

    public TokenSort Sort { get; init; } = TokenSort.CreatedDesc;

    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = 20;

    /// <summary>Whether the result depends on when tokens were last used (a filter or a sort on it).</summary>
    public bool DependsOnLastUse => LastUsedBefore is not null || LastUsedAfter is not null || NeverUsed is not null
        || Sort is TokenSort.LastUsedAsc or TokenSort.LastUsedDesc;

    /// <summary>The clock reading that <see cref="Active"/> is judged against.</summary>
    public DateTimeOffset Now { get; init; }
}

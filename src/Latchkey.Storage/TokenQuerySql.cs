using Dapper;
using Latchkey.Stores;

namespace Latchkey.Storage;

/// <summary>
/// Turns a <see cref="TokenQuery"/> into SQL. Only fixed fragments are concatenated; every value is a parameter.
/// Missing timestamps follow their meaning: no expiry is infinitely late, never used is infinitely early, both
/// when sorting and when filtering by "before" and "after" (which are strict).
/// </summary>
internal sealed class TokenQuerySql
{
    public TokenQuerySql(TokenQuery query, SqlDialect dialect)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();

        void Add(string condition, string? name = null, object? value = null)
        {
            where.Add(condition);
            if (name is not null)
            {
                parameters.Add(name, value);
            }
        }

        Add("kind = @Kind", "Kind", (int)query.Kind);
        if (query.UserId is { } userId)
        {
            Add("user_id = @UserId", "UserId", userId);
        }

        if (query.OwnerUsername is { } ownerUsername)
        {
            // Without regard to case, as usernames are unique.
            Add($"user_id IN (SELECT id FROM users WHERE {dialect.UsernameMatches("@OwnerUsername")})", "OwnerUsername", ownerUsername);
        }

        if (query.Origin is { } origin)
        {
            Add("origin = @Origin", "Origin", origin);
        }

        if (query.Active is { } active)
        {
            Add(
                active
                    ? "(revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @Now))"
                    : "(revoked_at IS NOT NULL OR expires_at <= @Now)",
                "Now",
                UnixTime.ToStore(query.Now));
        }

        if (query.Revoked is { } revoked)
        {
            Add(revoked ? "revoked_at IS NOT NULL" : "revoked_at IS NULL");
        }

        if (query.Search is { } search)
        {
            // Folded here and in the database alike (the databases' own case-insensitivity covers ASCII only, names
            // are not only ASCII), and matched literally, so '%' and '_' need no escaping.
            Add(dialect.NameContains("@Search"), "Search", Fold(search));
        }

        if (query.Name is { } name)
        {
            Add("name = @Name", "Name", name);
        }

        AddTime(query.CreatedBefore, "created_at < @CreatedBefore", "CreatedBefore");
        AddTime(query.CreatedAfter, "created_at > @CreatedAfter", "CreatedAfter");
        AddTime(query.LastUsedBefore, "(last_used_at IS NULL OR last_used_at < @LastUsedBefore)", "LastUsedBefore");
        AddTime(query.LastUsedAfter, "last_used_at > @LastUsedAfter", "LastUsedAfter");
        AddTime(query.ExpiresBefore, "expires_at < @ExpiresBefore", "ExpiresBefore");
        AddTime(query.ExpiresAfter, "(expires_at IS NULL OR expires_at > @ExpiresAfter)", "ExpiresAfter");

        if (query.NeverUsed is { } neverUsed)
        {
            Add(neverUsed ? "last_used_at IS NULL" : "last_used_at IS NOT NULL");
        }

        var filter = string.Join(" AND ", where);
        CountSql = $"SELECT COUNT(*) FROM tokens WHERE {filter}";
        PageSql = $"SELECT {TokenRow.Columns} FROM tokens WHERE {filter} ORDER BY {OrderBy(query.Sort, dialect)}";

        // Correlated lookups rather than a join: the filters and orders name token columns unqualified, and users has
        // columns of the same names. Each is one primary-key read per row of the page.
        PageWithOwnersSql = $"""
            SELECT {TokenRow.Columns},
                   (SELECT username FROM users WHERE users.id = tokens.user_id),
                   (SELECT is_admin FROM users WHERE users.id = tokens.user_id),
                   (SELECT state FROM users WHERE users.id = tokens.user_id)
            FROM tokens WHERE {filter} ORDER BY {OrderBy(query.Sort, dialect)}
            """;
        Parameters = parameters;

        void AddTime(DateTimeOffset? value, string condition, string parameter)
        {
            if (value is { } time)
            {
                Add(condition, parameter, UnixTime.ToStore(time));
            }
        }
    }

    public string CountSql { get; }

    /// <summary>The matching tokens in order, without LIMIT and OFFSET (see <see cref="Paging"/>).</summary>
    public string PageSql { get; }

    /// <summary><see cref="PageSql"/> with the owner's username, administrator flag and state after the token columns.</summary>
    public string PageWithOwnersSql { get; }

    public DynamicParameters Parameters { get; }

    /// <summary>A name (or search text) folded as a name search compares it, without regard to case.</summary>
    public static string Fold(string value) => value.ToUpperInvariant();

    private static string OrderBy(TokenSort sort, SqlDialect dialect) => sort switch
    {
        TokenSort.CreatedDesc => "created_at DESC, id DESC",
        TokenSort.CreatedAsc => "created_at ASC, id ASC",
        TokenSort.ExpiresDesc => "expires_at DESC NULLS FIRST, id DESC",
        TokenSort.ExpiresAsc => "expires_at ASC NULLS LAST, id ASC",
        TokenSort.LastUsedDesc => "last_used_at DESC NULLS LAST, id DESC",
        TokenSort.LastUsedAsc => "last_used_at ASC NULLS FIRST, id ASC",
        TokenSort.NameDesc => $"{dialect.NameSortKey} DESC, id DESC",
        TokenSort.NameAsc => $"{dialect.NameSortKey} ASC, id ASC",
        TokenSort.IdDesc => "id DESC",
        TokenSort.IdAsc => "id ASC",
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, "Unknown token sort."),
    };
}

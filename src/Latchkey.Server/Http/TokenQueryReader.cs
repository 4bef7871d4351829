using Latchkey.Stores;

namespace Latchkey.Server.Http;

/// <summary>Reads GitLab's token list filters from a query string into a <see cref="TokenQuery"/>.</summary>
internal static class TokenQueryReader
{
    private static readonly Dictionary<string, TokenSort> Sorts = new(StringComparer.Ordinal)
    {
        ["created_asc"] = TokenSort.CreatedAsc,
        ["created_desc"] = TokenSort.CreatedDesc,
        ["expires_asc"] = TokenSort.ExpiresAsc,
        ["expires_desc"] = TokenSort.ExpiresDesc,
        ["last_used_asc"] = TokenSort.LastUsedAsc,
        ["last_used_desc"] = TokenSort.LastUsedDesc,
        ["name_asc"] = TokenSort.NameAsc,
        ["name_desc"] = TokenSort.NameDesc,
        ["id_asc"] = TokenSort.IdAsc,
        ["id_desc"] = TokenSort.IdDesc,
    };

    public static string SortValues => string.Join(", ", Sorts.Keys);

    /// <summary>
    /// Everything but the owner, which the caller decides. Returns the field and message on bad input.
    /// <paramref name="ignoreUnknownSort"/> keeps the default order for a sort it does not know, as GitLab does.
    /// <paramref name="inactiveStates"/> also accepts <c>state=revoked</c> and <c>state=expired</c> (expired and not
    /// revoked), the two halves of <c>inactive</c>, and an empty <c>state</c> as none (a form's "any" choice), for
    /// administrators' lists.
    /// </summary>
    public static bool TryRead(HttpRequest request, TokenSort defaultSort, out TokenQuery query, out (string Field, string Message)? error, bool ignoreUnknownSort = false, bool inactiveStates = false)
    {
        query = new TokenQuery { Sort = defaultSort };
        if (!Pagination.TryRead(request, out var page, out var perPage, out error))
        {
            return false;
        }

        query = query with { Page = page, PerPage = perPage };
        var q = request.Query;

        if (q.TryGetValue("state", out var state) && !(inactiveStates && state.ToString().Length == 0))
        {
            TokenQuery? filtered = state.ToString() switch
            {
                "active" => query with { Active = true },
                "inactive" => query with { Active = false },
                "revoked" when inactiveStates => query with { Revoked = true },
                "expired" when inactiveStates => query with { Active = false, Revoked = false },
                _ => null,
            };
            if (filtered is null)
            {
                error = ("state", inactiveStates ? "state must be 'active', 'inactive', 'revoked' or 'expired'." : "state must be 'active' or 'inactive'.");
                return false;
            }

            query = filtered;
        }

        if (q.TryGetValue("revoked", out var revokedText))
        {
            if (!bool.TryParse(revokedText, out var revoked))
            {
                error = ("revoked", "revoked must be 'true' or 'false'.");
                return false;
            }

            query = query with { Revoked = revoked };
        }

        if (q.TryGetValue("search", out var search) && search.ToString().Length > 0)
        {
            if (search.ToString().Length > 255)
            {
                error = ("search", "search is too long (maximum is 255 characters).");
                return false;
            }

            query = query with { Search = search.ToString() };
        }

        if (q.TryGetValue("sort", out var sortText))
        {
            if (Sorts.TryGetValue(sortText.ToString(), out var sort))
            {
                query = query with { Sort = sort };
            }
            else if (!ignoreUnknownSort)
            {
                error = ("sort", $"sort must be one of: {SortValues}.");
                return false;
            }
        }

        foreach (var name in new[] { "created_before", "created_after", "last_used_before", "last_used_after", "expires_before", "expires_after" })
        {
            if (!q.TryGetValue(name, out var text))
            {
                continue;
            }

            if (!ExpiryParser.TryParse(text, out var instant) || instant.At is not { } at)
            {
                error = (name, $"{name} must be {ExpiryParser.FormatHint}.");
                return false;
            }

            query = name switch
            {
                "created_before" => query with { CreatedBefore = at },
                "created_after" => query with { CreatedAfter = at },
                "last_used_before" => query with { LastUsedBefore = at },
                "last_used_after" => query with { LastUsedAfter = at },
                "expires_before" => query with { ExpiresBefore = at },
                _ => query with { ExpiresAfter = at },
            };
        }

        return true;
    }
}

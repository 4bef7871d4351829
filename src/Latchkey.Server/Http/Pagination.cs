using System.Globalization;
using Latchkey.Server.Hosting;
using Latchkey.Stores;
using Microsoft.AspNetCore.Http.Extensions;

namespace Latchkey.Server.Http;

/// <summary>GitLab's offset pagination: <c>page</c>/<c>per_page</c> in, <c>Link</c> and <c>X-*</c> headers out.</summary>
internal static class Pagination
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;

    /// <summary>Reads page and per_page; per_page above the maximum is lowered to it, as GitLab does.</summary>
    public static bool TryRead(HttpRequest request, out int page, out int perPage, out (string Field, string Message)? error)
    {
        page = 1;
        perPage = DefaultPerPage;
        error = null;
        if (request.Query.TryGetValue("page", out var pageText) && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            error = ("page", "page must be a whole number of at least 1.");
            return false;
        }

        if (request.Query.TryGetValue("per_page", out var perPageText) && (!int.TryParse(perPageText, NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || perPage < 1))
        {
            error = ("per_page", "per_page must be a whole number of at least 1.");
            return false;
        }

        perPage = Math.Min(perPage, MaxPerPage);
        return true;
    }

    public static void WriteHeaders<T>(HttpContext context, Page<T> page)
    {
        var headers = context.Response.Headers;
        var totalPages = Math.Max(1, page.TotalPages);
        headers["X-Total"] = page.Total.ToString(CultureInfo.InvariantCulture);
        headers["X-Total-Pages"] = totalPages.ToString(CultureInfo.InvariantCulture);
        headers["X-Page"] = page.PageNumber.ToString(CultureInfo.InvariantCulture);
        headers["X-Per-Page"] = page.PerPage.ToString(CultureInfo.InvariantCulture);
        headers["X-Next-Page"] = page.PageNumber < totalPages ? (page.PageNumber + 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
        headers["X-Prev-Page"] = page.PageNumber > 1 ? (page.PageNumber - 1).ToString(CultureInfo.InvariantCulture) : string.Empty;

        var links = new List<string>();
        if (page.PageNumber > 1)
        {
            links.Add(Link(context.Request, Math.Min(page.PageNumber - 1, totalPages), page.PerPage, "prev"));
        }

        if (page.PageNumber < totalPages)
        {
            links.Add(Link(context.Request, page.PageNumber + 1, page.PerPage, "next"));
        }

        links.Add(Link(context.Request, 1, page.PerPage, "first"));
        links.Add(Link(context.Request, totalPages, page.PerPage, "last"));
        headers.Link = string.Join(", ", links);
    }

    private static string Link(HttpRequest request, int pageNumber, int perPage, string rel)
    {
        var query = new QueryBuilder();
        foreach (var (key, values) in request.Query)
        {
            // Never echo a credential back into a URL.
            if (key is "page" or "per_page" || Latchkey.AspNetCore.SecretRedaction.SecretParameters.Contains(key))
            {
                continue;
            }

            foreach (var value in values)
            {
                query.Add(key, value ?? string.Empty);
            }
        }

        query.Add("page", pageNumber.ToString(CultureInfo.InvariantCulture));
        query.Add("per_page", perPage.ToString(CultureInfo.InvariantCulture));
        var url = PublicUrls.For(request, request.Path, query.ToQueryString());
        return $"<{url}>; rel=\"{rel}\"";
    }
}

using System.Globalization;
using Latchkey.Server.Api;
using Latchkey.Server.Pages.UserSettings;
using Latchkey.Stores;
using Latchkey.Tokens;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Server.Pages.Admin;

/// <summary>
/// <c>/admin/tokens</c>: every user's personal access tokens with their owner, filtered by user, state, expiry within
/// N days and name (the same filters as <c>GET /api/administration/tokens</c>, read by the same code), and Revoke.
/// </summary>
internal sealed class TokensModel : AdminPageModel
{
    public const int PerPage = 50;

    private readonly TokenManager _tokens;
    private readonly TimeProvider _time;

    public TokensModel(TokenManager tokens, TimeProvider time)
    {
        _tokens = tokens;
        _time = time;
        Now = time.GetUtcNow();
    }

    [BindProperty(Name = "username", SupportsGet = true)]
    public string? Username { get; set; }

    [BindProperty(Name = "state", SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(Name = "expires_within_days", SupportsGet = true)]
    public string? ExpiresWithinDays { get; set; }

    [BindProperty(Name = "search", SupportsGet = true)]
    public string? Search { get; set; }

    public DateTimeOffset Now { get; }

    public Page<OwnedToken> Tokens { get; private set; } = new([], 0, 1, PerPage);

    /// <summary>A filter that could not be read: its field and what is wrong; nothing is listed then.</summary>
    public (string Field, string Message)? FilterError { get; private set; }

    public static IReadOnlyList<(string Value, string Text)> States { get; } =
        [("", "Any"), ("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")];

    public async Task OnGetAsync()
    {
        if (!AdminEndpoints.TryReadQuery(Request, _time.GetUtcNow(), out var query, out var error))
        {
            FilterError = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        query = query with { PerPage = Request.Query.ContainsKey("per_page") ? query.PerPage : PerPage };
        Tokens = await _tokens.ListWithOwnersAsync(Actor, query, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var revoked = await _tokens.RevokeAsync(Actor, id, HttpContext.RequestAborted);
        if (!revoked.Succeeded)
        {
            return NotFound();
        }

        NoticeNext($"The token “{revoked.Value.Name}” was revoked. Anything still using it is refused from now on.");
        return LocalRedirect(Request.Path + Query(Filters()));
    }

    public bool ExpiresSoon(PersonalAccessToken token) => token.ExpiresAt is { } expires && expires - Now < PersonalAccessTokensModel.ExpiringSoon;

    // Built by hand, not by routing: "page" is Razor Pages' own route value, the name of the page.
    public string PageLink(int number)
        => Request.Path + Query(Filters().Append(new("page", number.ToString(CultureInfo.InvariantCulture))));

    /// <summary>The filters that are set, for links and the redirect after a revocation: the list stays as it was.</summary>
    public Dictionary<string, string> Filters()
    {
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in new[] { ("username", Username), ("state", State), ("expires_within_days", ExpiresWithinDays), ("search", Search) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                filters[name] = value;
            }
        }

        return filters;
    }

    private static QueryString Query(IEnumerable<KeyValuePair<string, string>> values)
        => QueryString.Create(values.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value)));
}

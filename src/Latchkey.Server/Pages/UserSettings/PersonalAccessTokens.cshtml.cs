using System.Globalization;
using Latchkey.Policy;
using Latchkey.Stores;
using Latchkey.Tokens;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages.UserSettings;

/// <summary>
/// <c>/-/user_settings/personal_access_tokens</c>, seed 002 as a person does it: choose a name, optionally an expiry
/// date, scopes; <b>Create personal access token</b>; the secret shown once; <b>Revoke</b> and <b>Rotate</b> under
/// <b>Active personal access tokens</b>. Every write is a POST with an antiforgery token followed by a redirect; a new
/// secret crosses the redirect in <see cref="SecretSlot"/>, never in the URL, and is gone after one display.
/// </summary>
internal sealed class PersonalAccessTokensModel : PageModel
{
    public const int PerPage = 20;

    /// <summary>Tokens that expire sooner than this get a warning badge.</summary>
    public static readonly TimeSpan ExpiringSoon = TimeSpan.FromDays(7);

    private const string SecretSlotKey = "secret_slot";
    private const string SecretNameKey = "secret_name";
    private const string NoticeKey = "notice";
    private const string ProblemKey = "problem";
    private const string ActivePageParameter = "page";
    private const string InactivePageParameter = "inactive_page";

    private readonly TokenManager _tokens;
    private readonly TokenPolicy _policy;
    private readonly ScopeCatalog _catalog;
    private readonly SecretSlot _secrets;
    private readonly TimeProvider _time;

    public PersonalAccessTokensModel(TokenManager tokens, TokenPolicyProvider policies, ScopeCatalog catalog, SecretSlot secrets, TimeProvider time)
    {
        _tokens = tokens;
        _policy = policies.Get(TokenOrigins.Native);
        _catalog = catalog;
        _secrets = secrets;
        _time = time;
        Now = time.GetUtcNow();
    }

    [BindProperty(Name = "name")]
    public string? Name { get; set; }

    [BindProperty(Name = "expires_at")]
    public string? ExpiresAt { get; set; }

    [BindProperty(Name = "scopes")]
    public List<string> Scopes { get; set; } = [];

    [BindProperty(Name = "search", SupportsGet = true)]
    public string? Search { get; set; }

    public DateTimeOffset Now { get; }

    /// <summary>Refusals of the create form by field (<c>name</c>, <c>expires_at</c>, <c>scopes</c>, or <c>form</c> for the rest).</summary>
    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    public string? NewSecret { get; private set; }

    public string? NewSecretName { get; private set; }

    public string? Notice { get; private set; }

    public string? Problem { get; private set; }

    public Page<PersonalAccessToken> Active { get; private set; } = new([], 0, 1, PerPage);

    public Page<PersonalAccessToken> Inactive { get; private set; } = new([], 0, 1, PerPage);

    public IReadOnlyList<ScopeDefinition> AvailableScopes { get; private set; } = [];

    /// <summary>The date the policy's default lifetime ends on, pre-filled; empty when the default is never.</summary>
    public string? DefaultExpiry { get; private set; }

    public string MinimumExpiry => Wording.Date(Now.UtcDateTime.Date.AddDays(1));

    /// <summary>The last date the policy allows, or <c>null</c> without a maximum lifetime.</summary>
    public string? MaximumExpiry => _policy.Options.MaximumLifetime is { } max ? Wording.Date(LatestExpiryDate(max)) : null;

    public string ExpiryHint => (DefaultExpiry is null ? "Optional: left empty, the token never expires." : $"Optional: left empty, it expires in {Wording.Duration(_policy.Options.DefaultLifetime)}.")
        + (MaximumExpiry is null ? string.Empty : $" At the latest {MaximumExpiry}.");

    public async Task<IActionResult> OnGetAsync()
    {
        var actor = Actor();
        NewSecret = _secrets.Take(TempData[SecretSlotKey] as string, actor.UserId);
        NewSecretName = NewSecret is null ? null : TempData[SecretNameKey] as string;
        Notice = TempData[NoticeKey] as string;
        Problem = TempData[ProblemKey] as string;
        ExpiresAt = DefaultExpiry = DefaultExpiryDate();
        await LoadAsync(actor);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var actor = Actor();
        var expiry = TokenExpiry.Default;
        if (!string.IsNullOrWhiteSpace(ExpiresAt))
        {
            if (DateOnly.TryParseExact(ExpiresAt.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                expiry = TokenExpiry.OnDate(date);
            }
            else
            {
                AddError("expires_at", "Enter the expiry date as YYYY-MM-DD.");
            }
        }

        var request = new CreateTokenRequest { Name = Name?.Trim(), Scopes = Scopes.Where(s => !string.IsNullOrEmpty(s)).ToList(), Expiry = expiry };

        // Every refusal at once, each next to its field; nothing is written unless there are none.
        foreach (var refusal in await _tokens.ValidateCreateAsync(actor, request, HttpContext.RequestAborted))
        {
            AddError(refusal);
        }

        if (Errors.Count == 0)
        {
            var created = await _tokens.CreateAsync(actor, request, HttpContext.RequestAborted);
            if (created.Succeeded)
            {
                TempData[SecretSlotKey] = _secrets.Put(actor.UserId, created.Value.Secret);
                TempData[SecretNameKey] = created.Value.Token.Name;
                return RedirectToPage();
            }

            AddError(created.Error);
        }

        DefaultExpiry = DefaultExpiryDate();
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(actor);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var revoked = await _tokens.RevokeAsync(Actor(), id, HttpContext.RequestAborted);
        if (!revoked.Succeeded)
        {
            // Someone else's token, or none: the same answer, so ids cannot be probed.
            return NotFound();
        }

        TempData[NoticeKey] = $"The personal access token “{revoked.Value.Name}” was revoked. Anything still using it is refused from now on.";
        return RedirectToPage(new { search = Search });
    }

    public async Task<IActionResult> OnPostRotateAsync(long id)
    {
        var actor = Actor();
        var rotated = await _tokens.RotateAsync(actor, id, null, HttpContext.RequestAborted);
        if (!rotated.Succeeded)
        {
            if (rotated.Error.Code == TokenErrorCode.NotFound)
            {
                return NotFound();
            }

            TempData[ProblemKey] = rotated.Error.Code switch
            {
                TokenErrorCode.Inactive => "This token is revoked or expired and cannot be rotated.",
                TokenErrorCode.AlreadyRotated or TokenErrorCode.Conflict => "This token was already rotated; its replacement is in the list.",
                _ => rotated.Error.Message,
            };
            return RedirectToPage(new { search = Search });
        }

        TempData[SecretSlotKey] = _secrets.Put(actor.UserId, rotated.Value.Secret);
        TempData[SecretNameKey] = rotated.Value.Token.Name;
        TempData[NoticeKey] = $"The personal access token “{rotated.Value.Token.Name}” was rotated: the old value no longer works.";
        return RedirectToPage(new { search = Search });
    }

    public bool HasError(string field) => Errors.ContainsKey(field);

    public bool ExpiresSoon(PersonalAccessToken token) => token.ExpiresAt is { } expires && expires - Now < ExpiringSoon;

    /// <summary>The link to another page of one of the two lists, keeping the search and the other list's page.</summary>
    public string PageLink(bool inactive, int number)
    {
        var query = QueryString.Create(new Dictionary<string, string?>
        {
            ["search"] = string.IsNullOrWhiteSpace(Search) ? null : Search,
            [ActivePageParameter] = (inactive ? ActivePage() : number).ToString(CultureInfo.InvariantCulture),
            [InactivePageParameter] = (inactive ? number : InactivePage()).ToString(CultureInfo.InvariantCulture),
        }.Where(p => p.Value is not null));
        return $"{Request.PathBase}{Request.Path}{query}";
    }

    // Read from the query string itself: "page" is also the route value naming a Razor page, which model binding would read first.
    private int ActivePage() => ParsePage(Request.Query[ActivePageParameter]);

    private int InactivePage() => ParsePage(Request.Query[InactivePageParameter]);

    private static int ParsePage(string? text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number : 1;

    private TokenActor Actor() => UiSession.Actor(HttpContext).Seeing(TokenView.Personal);

    private async Task LoadAsync(TokenActor actor)
    {
        var search = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
        var query = new TokenQuery { Search = search, PerPage = PerPage, Sort = TokenSort.CreatedDesc };
        Active = await _tokens.ListAsync(actor, query with { Active = true, Page = ActivePage() }, HttpContext.RequestAborted);
        Inactive = await _tokens.ListAsync(actor, query with { Active = false, Page = InactivePage() }, HttpContext.RequestAborted);

        AvailableScopes = _catalog.All.Where(scope => _policy.Allows(scope.Name, actor.IsAdmin)).ToList();
    }

    private string? DefaultExpiryDate()
    {
        var resolved = _policy.ResolveExpiry(TokenExpiry.Default, Now);
        return resolved.Succeeded && resolved.Value is { } at ? Wording.Date(at) : null;
    }

    private DateTime LatestExpiryDate(TimeSpan max)
    {
        // A date means 00:00 UTC that day; the latest whole date within the maximum.
        var latest = max.Ticks > TokenPolicy.LatestExpiry.UtcTicks - Now.UtcTicks ? TokenPolicy.LatestExpiry : Now + max;
        return latest.UtcDateTime.Date;
    }

    private void AddError(TokenError error)
    {
        var field = error.Field is "name" or "expires_at" or "scopes" ? error.Field : "form";
        AddError(field, Word(error));
    }

    private void AddError(string field, string message)
    {
        if (!Errors.TryGetValue(field, out var messages))
        {
            Errors[field] = messages = [];
        }

        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
    }

    // The engine's refusals, worded for a person filling in this form.
    private static string Word(TokenError error) => error.Reason switch
    {
        TokenErrorReason.NameMissing => "Give the token a name.",
        TokenErrorReason.NameTooLong => $"The name is too long: at most {error.Limit} characters.",
        TokenErrorReason.NameInvalidCharacters => "The name cannot contain control characters.",
        TokenErrorReason.ScopesMissing => "Choose at least one scope.",
        TokenErrorReason.ScopeUnknown => $"There is no scope “{error.Scope}”.",
        TokenErrorReason.ScopeAdminOnly => $"Only administrators can give the scope “{error.Scope}”.",
        TokenErrorReason.ScopeNotAllowed => $"The scope “{error.Scope}” is not allowed here.",
        TokenErrorReason.ExpiryInPast => "The expiry date must be in the future.",
        TokenErrorReason.ExpiryBeyondMaximum when error.LatestExpiry is { } latest => $"The expiry date can be {Wording.Date(latest)} at the latest.",
        TokenErrorReason.NeverExpiringNotAllowed => "Give an expiry date: tokens that never expire are not allowed.",
        _ => error.Code switch
        {
            TokenErrorCode.NameTaken => "You already have an active token with this name.",
            TokenErrorCode.LimitReached => $"You already have the most active tokens allowed ({error.Limit}); revoke one first.",
            _ => error.Message,
        },
    };
}

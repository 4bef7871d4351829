using Latchkey.Stores;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Server.Pages.Admin;

/// <summary>
/// <c>/admin/tokens/leaked</c>, Revoke a leaked token: paste a value, see whose it is (owner, name, scopes, last use),
/// then confirm. The value travels only in a POST body, is never put back into the page, never logged, and an
/// unknown one says nothing more than that.
/// </summary>
internal sealed class LeakedTokenModel : AdminPageModel
{
    private readonly TokenManager _tokens;

    public LeakedTokenModel(TokenManager tokens, TimeProvider time)
    {
        _tokens = tokens;
        Now = time.GetUtcNow();
    }

    /// <summary>The pasted value: bound from the form only, and never rendered.</summary>
    [BindProperty(Name = "token")]
    public string? Value { get; set; }

    public DateTimeOffset Now { get; }

    /// <summary>The token the value belongs to, once looked up.</summary>
    public OwnedToken? Found { get; private set; }

    /// <summary>Why nothing was found, or what is wrong with the form.</summary>
    public string? LookupError { get; private set; }

    public async Task<IActionResult> OnPostLookupAsync()
    {
        if (string.IsNullOrWhiteSpace(Value))
        {
            LookupError = "Paste the token's value.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var found = await _tokens.FindBySecretAsync(Actor, Value.Trim(), HttpContext.RequestAborted);
        Value = null;
        if (!found.Succeeded)
        {
            // Malformed and unknown values read the same.
            LookupError = "No token has this value. Check that it was pasted whole; a token that was deleted after its retention period is not found either.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Found = found.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var revoked = await _tokens.RevokeAsync(Actor, id, HttpContext.RequestAborted);
        if (!revoked.Succeeded)
        {
            return NotFound();
        }

        NoticeNext($"The token “{revoked.Value.Name}” was revoked. Anything still using it is refused from now on.");
        return RedirectToPage();
    }
}
